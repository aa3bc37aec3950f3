import Foundation
import Recipe

/// A recipe read from a file or standard input, with the name used in messages.
public struct RecipeSource: Sendable {
    public var displayName: String
    public var path: String?
    public var bytes: [UInt8]

    public init(displayName: String, path: String?, bytes: [UInt8]) {
        self.displayName = displayName
        self.path = path
        self.bytes = bytes
    }

    /// Reads `path`, or standard input for `-`.
    public static func load(_ path: String) throws(CLIError) -> RecipeSource {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return RecipeSource(displayName: "<stdin>", path: nil, bytes: Array(data))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .recipeNotFound(path)
        }
        if isDirectory.boolValue { throw .recipeIsDirectory(path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .recipeUnreadable(path) }
        return RecipeSource(displayName: path, path: path, bytes: Array(data))
    }
}
