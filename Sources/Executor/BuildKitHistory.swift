import OCI
import Plan
import Recipe

/// A step's `created_by` in the image history, worded as BuildKit's dockerfile frontend
/// words it (`dockerfile2llb/convert.go`, `commitToHistory`), so that `docker history` of
/// a mab image reads as that of the same recipe built by BuildKit: expanded values, RUN
/// as the command it ran with the ARGs in scope (`RUN |2 A=1 B=2 /bin/sh -c …`), CMD and
/// ENTRYPOINT Go-quoted, WORKDIR resolved, and ` # buildkit` after each step with a layer.
enum BuildKitHistory {
    /// The text for `step`, read with `config`: the image config after the step applied.
    static func createdBy(_ step: PlanStep, config: ContainerConfig?) -> String {
        switch step.action {
        case .from:
            return step.instruction
        case .run(let command, let shellForm, _, _, _, _, let heredocs):
            let argv = ImageBuilder.runArgv(command, shellForm: shellForm, heredocs: heredocs, shell: config?.shell ?? ContainerConfig.defaultShell)
            let args = step.argsInScope.isEmpty ? [] : ["|\(step.argsInScope.count)"] + step.argsInScope
            return "RUN " + (args + argv).joined(separator: " ") + " # buildkit"
        case .copy(let c):
            var words = [c.isAdd ? "ADD" : "COPY"]
            if c.parents { words.append("--parents") }
            if let chown = c.chown { words.append("--chown=" + chown) }
            if let chmod = c.chmod { words.append("--chmod=" + chmod) }
            words += c.sources + c.inline.map { "<<" + $0.path } + [c.destination]
            return words.joined(separator: " ") + " # buildkit"
        case .config(let keyword, let values, _):
            switch keyword {
            case "LABEL":
                return (["LABEL"] + values.map { pair -> String in
                    let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                    return ImageBuilder.unquote(kv[0]) + "=" + (kv.count > 1 ? ImageBuilder.unquote(kv[1]) : "")
                }).joined(separator: " ")
            case "ENV", "ARG":
                return ([keyword] + values).joined(separator: " ")
            case "WORKDIR":
                return "WORKDIR " + ImageBuilder.workingDirectory(config)
            case "CMD":
                return "CMD " + GoFormat.quoteList(config?.cmd ?? [])
            case "ENTRYPOINT":
                return "ENTRYPOINT " + GoFormat.quoteList(config?.entrypoint ?? [])
            case "EXPOSE":
                let ports = values.flatMap { (try? PortSpec.expand($0)) ?? [] }
                return "EXPOSE " + GoFormat.list(Array(Set(ports)).sorted())
            case "VOLUME", "SHELL":
                return keyword + " " + GoFormat.list(values)
            case "HEALTHCHECK":
                let h = config?.healthcheck
                let durations = [h?.interval, h?.timeout, h?.startPeriod, h?.startInterval].map { GoFormat.quote(GoFormat.duration($0 ?? 0)) }
                return "HEALTHCHECK &{" + ([GoFormat.quoteList(h?.test ?? [])] + durations + [GoFormat.quoteRune(h?.retries ?? 0)]).joined(separator: " ") + "}"
            default:
                return ([keyword] + values).joined(separator: " ")
            }
        }
    }
}
