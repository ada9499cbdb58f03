import ArgumentParser
import Foundation
import WeftEngine
import WeftModel
import WeftServer
import WeftStore

/// Where the administration commands find the server's data: as `weft serve` takes it.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The data directory of `weft serve` (SQLite in DIR/weft.sqlite).", valueName: "DIR"))
    var data: String = ".weft"

    @Option(help: ArgumentHelp("A PostgreSQL database instead of SQLite.", valueName: "postgres://…"))
    var database: String?

    func validate() throws {
        if let database, !(database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")) {
            throw ValidationError("--database must be a postgres:// URL")
        }
    }

    /// Opens the store, runs `body` with it and closes it. A store that cannot be opened exits 2.
    func withStore<T>(_ body: (SQLStore) async throws -> T) async throws -> T {
        let store: SQLStore
        do {
            if let database {
                store = try await SQLStore.openPostgres(url: database)
            } else {
                store = try await SQLStore.openSQLite(path: URL(fileURLWithPath: data).standardizedFileURL.path + "/weft.sqlite")
            }
        } catch {
            printError("cannot open the database: \(error)")
            throw ExitStatus.invalidInput
        }
        do {
            let result = try await body(store)
            try? await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// An error of an administration command: printed, exit 2.
private func fail(_ message: String) -> ExitCode {
    printError(message)
    return ExitStatus.invalidInput
}

/// A password read from the first line of standard input, or a generated one (returned to be shown).
private func newPassword(fromStandardInput: Bool) throws -> (password: String, generated: Bool) {
    guard fromStandardInput else { return (String(Credentials.newSecret().prefix(24)), true) }
    guard let line = readLine(strippingNewline: true), line.count >= 8 else {
        throw fail("the password on standard input must have at least 8 characters")
    }
    return (line, false)
}

private func bcryptCost() -> UInt8 {
    let given = ProcessInfo.processInfo.environment["WEFT_BCRYPT_COST"].flatMap { UInt8($0) }
    return given.map { min(max($0, 4), 31) } ?? 12
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the server's users in its data directory or database.",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserPasswdCommand.self])
}

struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user; without --password-stdin a password is generated and printed once.")

    @Argument(help: "The login name.") var name: String
    @Option(help: ArgumentHelp("manager, admin, powerDeveloper, developer, deployer or reader.", valueName: "ROLE"))
    var role: String
    @Option(help: ArgumentHelp("Tags whose flows a Deployer or Reader sees, comma-separated.", valueName: "a,b"))
    var tags: String?
    @Option(help: ArgumentHelp("Grants: export, import, clone, comma-separated.", valueName: "export,clone"))
    var grants: String?
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard Role(rawValue: role) != nil else {
            throw ValidationError("unknown role '\(role)' (expected \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let unknown = list(grants).filter { ExchangeGrant(rawValue: $0) == nil }
        guard unknown.isEmpty else { throw ValidationError("unknown grant(s): \(unknown.joined(separator: ", "))") }
    }

    func run() async throws {
        let (password, generated) = try newPassword(fromStandardInput: passwordStdin)
        let user = UserRecord(
            id: Credentials.newId("usr"), name: name, role: Role(rawValue: role)!, tags: list(tags), grants: list(grants),
            passwordHash: Credentials.hashPassword(password, cost: bcryptCost()), createdAt: Date())
        try await store.withStore { store in
            do { try await store.createUser(user) } catch StoreError.conflict {
                throw fail("a user named '\(name)' exists already")
            }
        }
        print("added user '\(name)' (\(role))")
        if generated { print("password: \(password)") }
    }
}

struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users.")

    @Flag(help: "Print a JSON array.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let users = try await store.withStore { try await $0.users() }
        if json {
            print(JSON.array(users.map { user in
                [
                    "id": .string(user.id), "name": .string(user.name), "role": .string(user.role.rawValue),
                    "tags": .array(user.tags.map(JSON.string)), "grants": .array(user.grants.map(JSON.string)),
                    "disabled": .bool(user.disabled), "createdAt": .string(ISODate.format(user.createdAt)),
                ]
            }).serialized(pretty: true))
            return
        }
        for user in users {
            var line = "\(user.name)\t\(user.role.rawValue)"
            if !user.tags.isEmpty { line += "\ttags: \(user.tags.joined(separator: ","))" }
            if !user.grants.isEmpty { line += "\tgrants: \(user.grants.joined(separator: ","))" }
            if user.disabled { line += "\tdisabled" }
            print(line)
        }
    }
}

struct UserPasswdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Set a user's password; without --password-stdin a password is generated and printed once.")

    @Argument(help: "The login name.") var name: String
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (password, generated) = try newPassword(fromStandardInput: passwordStdin)
        try await store.withStore { store in
            var user: UserRecord
            do { user = try await store.user(named: name) } catch StoreError.notFound {
                throw fail("no user named '\(name)'")
            }
            user.passwordHash = Credentials.hashPassword(password, cost: bcryptCost())
            try await store.updateUser(user)
        }
        print("changed the password of '\(name)'")
        if generated { print("password: \(password)") }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [TokenCreateCommand.self])
}

struct TokenCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an API token for a user; its secret is printed once, on stdout.")

    @Argument(help: "The user's login name.") var user: String
    @Option(help: ArgumentHelp("A name for the token.", valueName: "N")) var name: String = "cli"
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let secret = Credentials.newSecret(prefix: "wft_")
        try await store.withStore { store in
            let owner: UserRecord
            do { owner = try await store.user(named: user) } catch StoreError.notFound {
                throw fail("no user named '\(user)'")
            }
            try await store.createToken(
                APITokenRecord(
                    id: Credentials.newId("tok"), userId: owner.id, name: name, tokenHash: Credentials.hash(secret),
                    createdAt: Date()))
        }
        print(secret)
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export 1 to 10 flows (latest versions) into one file, without credentials or connector bindings.")

    @Argument(help: "Flow ids (flw_…).") var flowIds: [String]
    @Option(help: ArgumentHelp("The file to write. Default: weft-export-<epoch ms>.json here.", valueName: "FILE"))
    var out: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (1...FlowExport.maxFlows).contains(flowIds.count) else {
            throw ValidationError("export 1 to \(FlowExport.maxFlows) flows at a time; \(flowIds.count) given")
        }
    }

    func run() async throws {
        let documents = try await store.withStore { store in
            var documents: [JSON] = []
            for id in flowIds {
                do {
                    let flow = try await store.flow(id: id)
                    documents.append(try await store.flowVersion(flowId: id, version: flow.latestVersion).document)
                } catch StoreError.notFound {
                    throw fail("no flow '\(id)'")
                }
            }
            return documents
        }
        let now = Date()
        let file: JSON
        do { file = try FlowExport.file(documents, exportedAt: now) } catch { throw fail(error.message) }
        let path = out ?? FlowExport.fileName(exportedAt: now)
        do {
            try Data(file.serialized(pretty: true).utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw fail("cannot write \(path): \(error.localizedDescription)")
        }
        printError("exported \(documents.count) flow\(documents.count == 1 ? "" : "s") to \(path)")
        print(path)
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the flows of an export file (or the seed product's export) as new flows.",
        discussion: """
            Each flow is validated on its own and imported or rejected with its reasons; imported flows need
            their connectors and HTTP credentials set again. Exit 0 when all were imported, 1 when any was
            rejected, 2 when the file itself is invalid.
            """)

    @Argument(help: "The export file (at most 2 MB, 10 flows).") var file: String
    @Option(help: ArgumentHelp("The user who owns the imported flows. Default: none (Managers and Admins manage them).",
                               valueName: "USER"))
    var owner: String?
    @Flag(help: "Print the per-flow results as JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int,
            size > FlowImport.maxFileBytes
        {
            throw fail("\(file): the file is \(size) bytes; an import file may be at most 2 MB (\(FlowImport.maxFileBytes) bytes)")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw fail("cannot read \(file)") }
        let results: [FlowImport.Result]
        do {
            results = try FlowImport.read([UInt8](data), validator: AllNodeTypes.registry.validator)
        } catch {
            throw fail("\(file): \(error.message)")
        }
        let answers = try await store.withStore { store in
            var ownerId: String?
            if let owner {
                do { ownerId = try await store.user(named: owner).id } catch StoreError.notFound {
                    throw fail("no user named '\(owner)'")
                }
            }
            var answers: [JSON] = []
            for result in results {
                var answer = result.json
                if let document = result.document, let json = result.documentJSON {
                    let id = Credentials.newId("flw")
                    _ = try await store.saveFlow(
                        id: id, name: document.name, owner: ownerId, categories: document.categories,
                        tags: document.tags, document: json, author: ownerId)
                    if case .object(var object) = answer {
                        object["flowId"] = .string(id)
                        answer = .object(object)
                    }
                }
                answers.append(answer)
            }
            return answers
        }
        if json {
            print(JSON.array(answers).serialized(pretty: true))
        } else {
            for (result, answer) in zip(results, answers) {
                let name = result.name.map { "'\($0)'" } ?? "flow \(result.index + 1)"
                if let id = answer["flowId"]?.stringValue {
                    print("imported \(name) as \(id)\(result.source == .seed ? " (converted from the seed format)" : "")")
                } else {
                    print("rejected \(name):")
                    for issue in result.issues { print("  \(issue)") }
                }
                for issue in result.notConverted { print("  not converted: \(issue)") }
            }
        }
        if results.contains(where: { !$0.isImported }) { throw ExitStatus.runFailed }
    }
}

/// `a,b` as `["a", "b"]`, blanks left out.
private func list(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
