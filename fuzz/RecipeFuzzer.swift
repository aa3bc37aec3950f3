// libFuzzer entry point for the Recipe module (Dockerfile parser, shell-word expansion,
// .dockerignore matching). Compiled into the same module as Sources/Recipe by
// fuzz/run.sh, so there is no `import Recipe` and internal symbols are visible.
//
// Thrown errors are expected outcomes; crashes, traps, sanitizer reports and timeouts are
// findings.

/// Small fixed environment so `$V` / `${V...}` expansions have something to work on.
private let fuzzEnvironment: [String: String] = [
    "HOME": "/root",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "A": "a",
    "EMPTY": "",
    "SPACED": "one two  three",
    "GLOB": "*.tar.gz",
    "U": "ünï€ødé",
]

/// Paths checked against a matcher built from the fuzz input.
private let fuzzPaths: [String] = [
    "Dockerfile",
    ".dockerignore",
    "src/main.swift",
    "a/b/c/d.txt",
    "node_modules/x/y",
    "./foo/../bar",
    "",
    "/abs/path",
    "dir/",
]

/// Fixed matcher whose `excludes` is fed the first line of the fuzz input. Built on every
/// call rather than cached in a global: Swift packs enum tags into spare pointer bits, so
/// LeakSanitizer cannot see references held by a global IgnoreMatcher and would report a
/// false leak at exit.
private let fixedIgnoreFile = """
    # comment
    *.log
    !keep.log
    **/node_modules
    build/**
    src/*/generated
    [a-c]?.txt
    !**/important/**
    /root-only
    """

private let lexers: [ShellLexer] = {
    let plain = ShellLexer(escapeToken: "\\")
    let backtick = ShellLexer(escapeToken: "`")
    var raw = ShellLexer(escapeToken: "\\")
    raw.rawQuotes = true
    raw.rawEscapes = true
    raw.skipUnsetEnv = true
    var noQuotes = ShellLexer(escapeToken: "\\")
    noQuotes.skipProcessQuotes = true
    return [plain, backtick, raw, noQuotes]
}()

@inline(never)
private func sink<T>(_ value: T) {
    // Keep results observable so the optimiser cannot drop the work.
    withExtendedLifetime(value) {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    // 1. Syntax stage (BuildKit's parser.Parse) and its dump.
    do {
        let tree = try SyntaxParser.parse(bytes, file: "Dockerfile")
        sink(tree.dump())
        for w in tree.warnings { sink(w.description) }
    } catch {
        sink(error.description)
    }

    // 2. Full parse + validation.
    do {
        let recipe = try RecipeParser.parse(bytes, file: "Dockerfile")
        sink(recipe.stages.count)
        for w in recipe.warnings { sink(w.description) }
    } catch {
        sink(error.description)
    }

    // 3. Shell-word expansion on the input as text (invalid UTF-8 is repaired).
    let text = String(decoding: bytes, as: UTF8.self)
    let firstLine = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    for lexer in lexers {
        do { sink(try lexer.expand(text, environment: fuzzEnvironment)) } catch { sink(error.description) }
        do { sink(try lexer.words(text, environment: fuzzEnvironment)) } catch { sink(error.description) }
    }
    // Values come from the recipe in real builds (ARG/ENV), so also expand with one whose
    // value is input-controlled: $IN is the first line, e.g. for ${IN%%pattern}.
    var inputEnvironment = fuzzEnvironment
    inputEnvironment["IN"] = firstLine
    do { sink(try lexers[0].expand(text, environment: inputEnvironment)) } catch { sink(error.description) }

    // 4. .dockerignore: the input as the file's contents, tested against fixed paths.
    sink(IgnorePattern.isValid(text))
    do {
        let matcher = try IgnoreMatcher(fileContents: text)
        for path in fuzzPaths { sink(matcher.excludes(path)) }
    } catch {
        sink(error.description)
    }

    // 5. The first line as a path (and as a single pattern) against fixed data.
    if let fixedMatcher = try? IgnoreMatcher(fileContents: fixedIgnoreFile) {
        sink(fixedMatcher.excludes(firstLine))
    }
    sink(IgnorePattern.isValid(firstLine))
    if let single = try? IgnoreMatcher(patterns: [firstLine]) {
        for path in fuzzPaths { sink(single.excludes(path)) }
    }

    return 0
}
