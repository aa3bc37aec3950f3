#if canImport(Glibc)
import Glibc
#endif

/// `--chmod` of COPY/ADD: an octal mode (`0755`), or symbolic clauses as chmod(1) takes
/// them (`u=rwx,go=rx`, `+x`, `a-w,u+s`; `X` is execute for directories and for files that
/// already have an execute bit).
public enum ChmodSpec: Sendable, Hashable {
    case octal(mode_t)
    case symbolic([Clause])

    public struct Clause: Sendable, Hashable {
        var who: mode_t          // mask of the u/g/o bits the clause touches
        var op: Character        // + - =
        var permissions: String  // from rwxXst
    }

    public init?(_ text: String) {
        if !text.isEmpty, text.allSatisfy({ ("0"..."7").contains($0) }), let m = mode_t(text, radix: 8), m <= 0o7777 {
            self = .octal(m)
            return
        }
        var clauses: [Clause] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            var who: mode_t = 0
            while let c = rest.first, "ugoa".contains(c) {
                switch c {
                case "u": who |= 0o4700
                case "g": who |= 0o2070
                case "o": who |= 0o1007
                default: who |= 0o7777
                }
                rest = rest.dropFirst()
            }
            if who == 0 { who = 0o7777 }
            // One or more operator+permissions groups: u+x-w
            guard !rest.isEmpty else { return nil }
            while let op = rest.first {
                guard "+-=".contains(op) else { return nil }
                rest = rest.dropFirst()
                let perms = rest.prefix { "rwxXst".contains($0) }
                rest = rest.dropFirst(perms.count)
                clauses.append(Clause(who: who, op: op, permissions: String(perms)))
            }
        }
        guard !clauses.isEmpty else { return nil }
        self = .symbolic(clauses)
    }

    /// The new permission bits for an entry whose current mode is `mode`.
    public func apply(to mode: mode_t, isDirectory: Bool) -> mode_t {
        switch self {
        case .octal(let m): return m
        case .symbolic(let clauses):
            var current = mode & 0o7777
            for clause in clauses {
                var bits: mode_t = 0
                for p in clause.permissions {
                    switch p {
                    case "r": bits |= 0o444
                    case "w": bits |= 0o222
                    case "x": bits |= 0o111
                    case "X": if isDirectory || current & 0o111 != 0 { bits |= 0o111 }
                    case "s": bits |= 0o6000
                    case "t": bits |= 0o1000
                    default: break
                    }
                }
                bits &= clause.who
                switch clause.op {
                case "+": current |= bits
                case "-": current &= ~bits
                default: current = (current & ~(clause.who & 0o7777)) | bits
                }
            }
            return current
        }
    }
}
