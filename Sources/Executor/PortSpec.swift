/// EXPOSE's port specifications as BuildKit reads them (dockerfile2llb's `parsePort`):
/// `[[IP:]HOSTPORT:]PORT[-END][/PROTO]`, each container port of a range as `N/proto`, the
/// protocol lowercased (tcp when none; tcp, udp or sctp).
enum PortSpec {
    static func expand(_ raw: String) throws(ExecutorError) -> [String] {
        func fail(_ why: String) -> ExecutorError { .sandbox("EXPOSE: invalid port: \"\(raw)\": \(why)") }
        let parts = raw.split(separator: ":", omittingEmptySubsequences: false)
        let container = String(parts.last ?? "")
        let (port, proto) = container.firstIndex(of: "/").map { (String(container[..<$0]), String(container[container.index(after: $0)...])) } ?? (container, "")
        guard !port.isEmpty else { throw fail("no port specified") }
        let protocolName = proto.isEmpty ? "tcp" : proto.lowercased()
        guard ["tcp", "udp", "sctp"].contains(protocolName) else { throw fail("invalid proto: \(proto)") }
        func number(_ s: Substring) throws(ExecutorError) -> Int {
            guard let n = Int(s), (0...65535).contains(n) else { throw ExecutorError.sandbox("EXPOSE: invalid containerPort: \(port)") }
            return n
        }
        let range = port.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let start = try number(range[0])
        let end = range.count == 2 && range[1] != range[0] ? try number(range[1]) : start
        guard end >= start else { throw ExecutorError.sandbox("EXPOSE: invalid containerPort: \(port)") }
        return (start...end).map { "\($0)/\(protocolName)" }
    }
}
