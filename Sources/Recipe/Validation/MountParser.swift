/// Parses `RUN --mount=type=cache,target=/root/.cache,sharing=locked` as BuildKit does.
enum MountParser {
    static let keys = [
        "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size", "mode", "uid", "gid",
        "src", "dst", "destination", "ro", "rw", "readwrite", "env",
    ]

    static func parse(_ value: String) throws(RecipeProblem) -> MountSpec {
        let fields = try csvFields(value)
        var m = MountSpec()
        var readOnlyAuto = true
        var sharingSet = false

        func bool(_ key: String, _ v: String) throws(RecipeProblem) -> Bool {
            switch v.lowercased() {
            case "1", "t", "true": return true
            case "0", "f", "false": return false
            default: throw .invalidMount("invalid value for \(key): \(v)")
            }
        }
        func number(_ key: String, _ v: String, radix: Int) throws(RecipeProblem) -> UInt32 {
            guard let n = UInt32(v, radix: radix) else { throw .invalidMount("invalid value \(v) for \(key)") }
            return n
        }

        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            let hasValue = parts.count == 2
            let v = hasValue ? String(parts[1]) : ""
            if !hasValue {
                switch key {
                case "readonly", "ro":
                    m.readOnly = true
                    readOnlyAuto = false
                    continue
                case "readwrite", "rw":
                    m.readOnly = false
                    readOnlyAuto = false
                    continue
                case "required":
                    guard m.type == .secret || m.type == .ssh else {
                        throw .invalidMount("unexpected key 'required' for mount type '\(m.type.rawValue)'")
                    }
                    m.required = true
                    continue
                default:
                    break
                }
            }
            switch key {
            case "type":
                guard let kind = MountSpec.Kind(rawValue: v.lowercased()) else {
                    let hint = Suggest.closest(to: v, in: MountSpec.Kind.allCases.map(\.rawValue), caseSensitive: false)
                    throw .invalidMount("unsupported mount type \(GoQuote.quote(v))" + (hint.map { " (did you mean \($0)?)" } ?? ""))
                }
                m.type = kind
            case "from": m.from = v
            case "source", "src": m.source = v
            case "target", "dst", "destination": m.target = v
            case "readonly", "ro":
                m.readOnly = try bool(key, v)
                readOnlyAuto = false
            case "readwrite", "rw":
                m.readOnly = !(try bool(key, v))
                readOnlyAuto = false
            case "required":
                guard m.type == .secret || m.type == .ssh else {
                    throw .invalidMount("unexpected key 'required' for mount type '\(m.type.rawValue)'")
                }
                m.required = try bool(key, v)
            case "size":
                guard m.type == .tmpfs else {
                    throw .invalidMount("unexpected key 'size' for mount type '\(m.type.rawValue)'")
                }
                guard let bytes = parseSize(v) else { throw .invalidMount("invalid value for size: \(v)") }
                m.size = bytes
            case "id": m.id = v
            case "sharing":
                guard m.type == .cache else {
                    throw .invalidMount("invalid cache sharing set for \(m.type.rawValue) mount")
                }
                guard let sharing = MountSpec.Sharing(rawValue: v.lowercased()) else {
                    throw .invalidMount("unsupported sharing value \(GoQuote.quote(v)) (use shared, private or locked)")
                }
                m.sharing = sharing
                sharingSet = true
            case "mode": m.mode = try number(key, v, radix: 8)
            case "uid": m.uid = try number(key, v, radix: 10)
            case "gid": m.gid = try number(key, v, radix: 10)
            case "env": m.env = v
            default:
                let hint = Suggest.closest(to: key, in: keys, caseSensitive: true)
                throw .invalidMount("unexpected key '\(key)' in '\(field)'" + (hint.map { " (did you mean \($0)?)" } ?? ""))
            }
        }

        let fileInfoAllowed = m.type == .secret || m.type == .ssh || m.type == .cache
        if !fileInfoAllowed {
            if m.mode != nil { throw .invalidMount("mode not allowed for \(GoQuote.quote(m.type.rawValue)) type mounts") }
            if m.uid != nil { throw .invalidMount("uid not allowed for \(GoQuote.quote(m.type.rawValue)) type mounts") }
            if m.gid != nil { throw .invalidMount("gid not allowed for \(GoQuote.quote(m.type.rawValue)) type mounts") }
        }
        if readOnlyAuto { m.readOnly = !(m.type == .cache || m.type == .tmpfs) }
        if sharingSet && m.type != .cache {
            throw .invalidMount("invalid cache sharing set for \(m.type.rawValue) mount")
        }
        switch m.type {
        case .secret:
            if m.from != nil { throw .invalidMount("secret mount should not have a from") }
            if m.source == nil && m.target == nil && m.id == nil && m.env == nil {
                throw .invalidMount("invalid secret mount: one of id, source, target or env required")
            }
            if m.source != nil && m.id != nil { throw .invalidMount("both source and id can't be set") }
        case .ssh:
            if m.from != nil { throw .invalidMount("ssh mount should not have a from") }
        case .bind, .cache, .tmpfs:
            break  // no target: the WORKDIR (BuildKit joins the target to it)
        }
        if m.type == .cache && m.sharing == nil { m.sharing = .shared }
        return m
    }

    /// Docker's `MemBytes`: "64m", "1g", "512k", "1024" (bytes).
    static func parseSize(_ text: String) -> Int64? {
        let lower = text.lowercased()
        let digits = lower.prefix(while: { $0.isNumber || $0 == "." })
        guard let n = Double(digits), n >= 0 else { return nil }
        var unit = lower.dropFirst(digits.count)
        if unit.hasSuffix("b") && unit.count > 1 { unit = unit.dropLast() }
        if unit.hasSuffix("i") { unit = unit.dropLast() }
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k": scale = 1024
        case "m": scale = 1024 * 1024
        case "g": scale = 1024 * 1024 * 1024
        case "t": scale = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        let bytes = n * scale
        guard bytes < 9.0e18 else { return nil }
        return Int64(bytes)
    }

    /// One CSV record (`a=b,"c=d,e"`), as Go's csv reader reads it.
    static func csvFields(_ text: String) throws(RecipeProblem) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var atFieldStart = true
        let bytes = Array(text.utf8)
        var i = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        while i < bytes.count {
            let ch = bytes[i]
            i += 1
            if inQuotes {
                if ch == quote {
                    if i < bytes.count && bytes[i] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(ch)
                }
                continue
            }
            if ch == comma {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
                continue
            }
            if ch == quote && atFieldStart {
                inQuotes = true
                atFieldStart = false
                continue
            }
            if ch == quote { throw .invalidMount("bare \" in non-quoted field in \(GoQuote.quote(text))") }
            field.append(ch)
            atFieldStart = false
        }
        if inQuotes { throw .invalidMount("extraneous or missing \" in quoted field in \(GoQuote.quote(text))") }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
