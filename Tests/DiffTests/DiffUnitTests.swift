import Testing

@testable import Diff
@testable import OCI

/// The parts of a comparison that need no image: causes, config fields, names, whiteouts.
struct DiffUnitTests {
    @Test func causesFitWhatDiffers() {
        let a = FileRecord(path: "/x", kind: .file, content: Array("Tue Dec  1 23:59:01 UTC 2026\n".utf8))
        let b = FileRecord(path: "/x", kind: .file, content: Array("Tue Dec  1 23:59:09 UTC 2026\n".utf8))
        let content = [FieldDifference(field: "content", a: "", b: "")]
        #expect(CauseHint.cause(path: "/x", differences: content, a: a, b: b)?.hasPrefix("a timestamp written by the build") == true)
        #expect(CauseHint.cause(path: "/x", differences: [FieldDifference(field: "mtime", a: "1", b: "2")], a: a, b: b)?.hasPrefix("only the modification time") == true)
        #expect(CauseHint.cause(path: "/usr/lib/python3/x.pyc", differences: content, a: a, b: b)?.hasPrefix("Python bytecode") == true)
        // Text that is neither a time nor an id is not blamed on either.
        let p = FileRecord(path: "/y", kind: .file, content: Array("hello\n".utf8)), q = FileRecord(path: "/y", kind: .file, content: Array("world\n".utf8))
        #expect(CauseHint.cause(path: "/y", differences: content, a: p, b: q) == nil)
        #expect(CauseHint.looksRandom("0f8fad5b-d9cb-469f-a165-70867728950e\n") && !CauseHint.looksRandom("version 1.2.3\n"))
        #expect(CauseHint.looksLikeTime("1700000000\n") && !CauseHint.looksLikeTime("port 8080\n"))
        // Only a number differs: something measured during the build (du, as R1's /size).
        let du = FileRecord(path: "/size", kind: .file, content: Array("110440\t/data\n".utf8)), du2 = FileRecord(path: "/size", kind: .file, content: Array("110436\t/data\n".utf8))
        #expect(CauseHint.cause(path: "/size", differences: content, a: du, b: du2)?.hasPrefix("only numbers differ: a value measured during the build") == true)
        #expect(!CauseHint.onlyNumbersDiffer("a1", "b1") && !CauseHint.onlyNumbersDiffer("same", "same"))
    }

    @Test func configFieldsAreComparedOneByOne() {
        let a = Array(#"{"created":"2026-01-01T00:00:00Z","config":{"Env":["A=1","B=2"]},"history":[{"created":"x"}]}"#.utf8)
        let b = Array(#"{"created":"2026-01-02T00:00:00Z","config":{"Env":["A=1","B=3"]},"history":[{"created":"y"}]}"#.utf8)
        #expect(ConfigComparison.compare(a, b) == [
            FieldDifference(field: "config.Env[1]", a: "\"B=2\"", b: "\"B=3\""),
            FieldDifference(field: "created", a: "\"2026-01-01T00:00:00Z\"", b: "\"2026-01-02T00:00:00Z\""),
            FieldDifference(field: "history[0].created", a: "\"x\"", b: "\"y\""),
        ])
        #expect(ConfigComparison.compare(a, b, ignoreTimestamps: true) == [FieldDifference(field: "config.Env[1]", a: "\"B=2\"", b: "\"B=3\"")])
    }

    @Test func namesAndWhiteouts() throws {
        #expect(try LayerReader.clean("./etc//passwd", layer: "l") == "/etc/passwd")
        #expect(try LayerReader.clean("./", layer: "l") == "/")
        #expect(throws: DiffError.hostileName("../x", layer: "l")) { try LayerReader.clean("../x", layer: "l") }
        var tree = FlatTree()
        tree.apply([.record(FileRecord(path: "/d", kind: .directory)), .record(FileRecord(path: "/d/a", kind: .file, size: 3)),
                    .record(FileRecord(path: "/e", kind: .directory)), .record(FileRecord(path: "/e/b", kind: .file))])
        tree.apply([.opaque(directory: "/d"), .record(FileRecord(path: "/d/c", kind: .file)), .whiteout(path: "/e")])
        #expect(tree.files.keys.sorted() == ["/d", "/d/c"])
    }

    @Test func layersAreComparedEntryByEntry() {
        let a: [LayerEntry] = [.record(FileRecord(path: "/a", kind: .file, header: "pax")), .record(FileRecord(path: "/b", kind: .file, header: "pax")),
                               .whiteout(path: "/old")]
        let b: [LayerEntry] = [.record(FileRecord(path: "/b", kind: .file, header: "pax")), .record(FileRecord(path: "/a", kind: .file, header: "gnu atime")),
                               .opaque(directory: "/d")]
        let c = LayerComparison().compare(index: 2, createdBy: "RUN make", a: a, b: b)
        #expect(c.files == [
            FileChange(path: "/a", kind: .changed, differences: [FieldDifference(field: "tar header", a: "pax", b: "gnu atime")],
                       cause: "only the tar header differs (its format, or access and change times it stores): the same file, written by another tool"),
            FileChange(path: "/d (opaque whiteout)", kind: .added),
            FileChange(path: "/old (whiteout)", kind: .removed),
        ])
        #expect(c.order == FieldDifference(field: "entry order", a: "entry 1 of those both hold: /a", b: "entry 1 of those both hold: /b"))
        #expect(c.hints == ["the layers hold their entries in another order: the tool that wrote them follows directory order, not names (mab writes entries sorted by name)"])

        // The same entries in the same order: only the tar bytes can differ.
        let same = LayerComparison().compare(index: 1, createdBy: nil, a: a, b: a)
        #expect(same.files.isEmpty && same.order == nil)
        #expect(same.hints == ["the same entries in the same order, but other tar bytes (padding, header encoding): the layers were written by different tools or versions"])
        // A flattened diff leaves headers out.
        #expect(TreeComparison().differences(FileRecord(path: "/a", kind: .file, header: "pax"), FileRecord(path: "/a", kind: .file, header: "gnu")).isEmpty)
    }
}
