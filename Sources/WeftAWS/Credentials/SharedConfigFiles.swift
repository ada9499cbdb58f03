import Foundation

/// The shared `credentials` and `config` files, merged per profile as the SDKs merge them.
///
/// Paths come from `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` (default `~/.aws/credentials` and
/// `~/.aws/config`, with `~` the injected home directory). In `config`, sections are `[default]` and
/// `[profile NAME]`; in `credentials`, `[NAME]`. A key in `credentials` wins over the same key in `config`.
public struct SharedConfigFiles: Sendable, Equatable {
    /// Profile name → key → value (keys lower-cased).
    public var profiles: [String: [String: String]]

    public init(profiles: [String: [String: String]]) { self.profiles = profiles }

    /// Reads both files; a missing file counts as empty.
    public init(environment: [String: String], homeDirectory: String) {
        let credentialsPath = SharedConfigFiles.expand(
            environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home: homeDirectory)
        let configPath = SharedConfigFiles.expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config", home: homeDirectory)
        self.init(credentials: SharedConfigFiles.read(credentialsPath), config: SharedConfigFiles.read(configPath))
    }

    /// Merges the texts of a credentials file and a config file.
    public init(credentials: String?, config: String?) {
        var profiles: [String: [String: String]] = [:]
        for (section, values) in SharedConfigFiles.parse(config ?? "") {
            let name: String
            if section == "default" {
                name = "default"
            } else if section.hasPrefix("profile ") || section.hasPrefix("profile\t") {
                name = section.dropFirst("profile".count).trimmingCharacters(in: .whitespaces)
            } else {
                continue
            }
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        for (section, values) in SharedConfigFiles.parse(credentials ?? "") {
            profiles[section, default: [:]].merge(values) { _, new in new }
        }
        self.profiles = profiles
    }

    /// The profile to use: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
    public static func profileName(environment: [String: String]) -> String {
        for key in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"] {
            if let value = environment[key], !value.isEmpty { return value }
        }
        return "default"
    }

    /// INI sections in file order with their `key = value` pairs. Lines starting with `#` or `;` are
    /// comments; indented lines (nested settings such as `s3 =`) are skipped.
    static func parse(_ text: String) -> [(String, [String: String])] {
        var sections: [(String, [String: String])] = []
        var current: (String, [String: String])?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = String(rawLine).replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                if let current { sections.append(current) }
                guard let close = trimmed.lastIndex(of: "]") else { current = nil; continue }
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                current = (name, [:])
                continue
            }
            if line.first == " " || line.first == "\t" { continue }
            guard current != nil, let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            current?.1[key] = value
        }
        if let current { sections.append(current) }
        return sections
    }

    static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
