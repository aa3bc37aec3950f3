FROM scratch
COPY rootfs/ /
RUN mkdir -p /t/sub && echo hello > /t/file && chmod 4755 /t/file && ln -s file /t/link && ln /t/file /t/hard && mkfifo /t/fifo && \
    mkdir -p /t/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb && \
    echo long > /t/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.txt && \
    echo x > "/t/$(printf 'caf\303\251')" && chown 3000000:5 /t/sub
