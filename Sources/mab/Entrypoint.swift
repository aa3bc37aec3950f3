import MabCLI

@main
struct Entrypoint {
    static func main() async {
        await MabCommand.main()
    }
}
