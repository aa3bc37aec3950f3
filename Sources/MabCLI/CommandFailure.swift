import ArgumentParser
import BuildKit
import Executor
import OCI
import Plan
import Recipe
import Registry

/// Runs a command body; any failure is printed as `mab: error: …` and exits 1.
enum CommandFailure {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as OCIError {
            Terminal.error("mab: error: \(error)")
        } catch let error as RegistryError {
            Terminal.error("mab: error: \(error)")
        } catch ExecutorError.interrupted {
            Terminal.error("mab: error: \(ExecutorError.interrupted)")
            throw ExitCode(130)
        } catch let error as ExecutorError {
            Terminal.error("mab: error: \(error)")
        } catch BuildctlFailure.interrupted(let node) {
            Terminal.error("mab: error: \(BuildctlFailure.interrupted(node: node))")
            throw ExitCode(130)
        } catch let error as PlanError {
            Terminal.error("mab: error: \(error)")
        } catch let error as ReferenceError {
            Terminal.error("mab: error: \(error)")
        } catch let error as CLIError {
            Terminal.error("mab: error: \(error)")
        } catch {
            Terminal.error("mab: error: \(error)")
        }
        throw ExitCode(1)
    }
}
