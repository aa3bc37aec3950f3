import OCI

extension RegistryClient {
    /// Checks that the registry accepts our credentials (`GET /v2/`, with a token for
    /// the registry's catalog scope when it asks for Bearer auth).
    public func checkLogin() throws {
        let target = registry
        let r = try send("log in to", target: target, method: "GET", path: "/v2/", scope: "")
        guard r.status == 200 else { throw httpError("log in to", target, r, hint: "check the user name and password") }
    }
}
