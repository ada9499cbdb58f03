import ArgumentParser
import Foundation
import WeftAWS
import WeftCloudNodes
import WeftEngine
import WeftHTTP
import WeftModel
import WeftServer
import WeftServerAWS
import WeftStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the API and the web UI (at /ui/).",
        discussion: """
            SQLite in DIR by default (DIR/weft.sqlite); PostgreSQL with --database postgres://…
            The first start creates the Manager account 'admin' with the password WEFT_ADMIN_PASSWORD, or a
            generated one printed once, and the data-encryption key file DIR/secret.key (mode 0600) unless
            WEFT_DATA_KEY holds a base64 32-byte key. Connector and HTTP-credential
            secrets are sealed under that key: keep it, and back it up with the database.
            WEFT_UI_DIR serves the web UI from that directory instead of the copy built in (for UI work).
            """)

    @Option(help: ArgumentHelp("The address to bind.", valueName: "HOST"))
    var host: String = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to bind (0 picks a free one).", valueName: "PORT"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Where the SQLite database and the key file are kept.", valueName: "DIR"))
    var data: String = ".weft"

    @Option(help: ArgumentHelp("A PostgreSQL database instead of SQLite.", valueName: "postgres://…"))
    var database: String?

    @Flag(help: "Also start a local AWS stand-in (moto on 127.0.0.1) with a small estate, a connector to it and the templates as flows.")
    var demo = false

    @Option(help: ArgumentHelp(
        "How often to fire due schedules and scans, in seconds; 0 turns this process's scheduler off.", valueName: "SECONDS"))
    var schedulerInterval: Double = 10

    @Option(help: .hidden)
    var schedulerClock: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard schedulerInterval >= 0 else { throw ValidationError("--scheduler-interval must be 0 or more") }
        if let database, !(database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")) {
            throw ValidationError("--database must be a postgres:// URL")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let dataDirectory = URL(fileURLWithPath: data).standardizedFileURL.path
        let store: SQLStore
        do {
            if let database {
                store = try await SQLStore.openPostgres(url: database)
            } else {
                store = try await SQLStore.openSQLite(path: dataDirectory + "/weft.sqlite")
            }
        } catch {
            printError("cannot open the database: \(error)")
            throw ExitStatus.invalidInput
        }
        let secretBox: SecretBox
        do {
            secretBox = try SecretBox(
                key: try ServerBootstrap.dataKey(path: dataDirectory + "/secret.key", environment: environment))
            if let password = try await ServerBootstrap.ensureAdmin(store: store, environment: environment, bcryptCost: 12) {
                printError(
                    "created the Manager account '\(ServerBootstrap.adminName)' with the password: \(password)\n"
                        + "(shown only now; set WEFT_ADMIN_PASSWORD before the first start to choose it)")
            }
        } catch {
            try? await store.close()
            printError("cannot prepare the server: \(error)")
            throw ExitStatus.invalidInput
        }
        var runner = RunnerConfiguration()
        do {
            (runner.services, _) = try NodeServicesSetup.services(connectors: ConnectorsFile(), environment: environment)
        } catch {
            try? await store.close()
            printError("cannot set up node services: \(error)")
            throw ExitStatus.invalidInput
        }
        var configuration = ServerConfiguration(
            host: host, port: port, registry: AllNodeTypes.registry, runner: runner, secretBox: secretBox,
            servicesForRun: { base, connectors, credentials in
                try NodeServicesSetup.services(
                    connectors: ConnectorsFile(connectors: connectors, credentials: credentials),
                    environment: environment, base: base)
            })
        configuration.awsCatalog = .botocore(environment: environment)
        configuration.artifactsDirectory = dataDirectory + "/artifacts"
        configuration.uiDirectory = environment["WEFT_UI_DIR"]
        configuration.schedulerInterval = schedulerInterval > 0 ? .milliseconds(Int(schedulerInterval * 1000)) : nil
        if let schedulerClock { configuration.schedulerClock = Self.fileClock(schedulerClock) }
        do {
            let egress = try EgressPolicy.fromEnvironment(environment)
            configuration.confirmSubscription = { url in
                let response = try await HTTPSession.withSession(policy: egress) { session in
                    try await session.send(HTTPRequestSpec(url: url))
                }
                guard (200..<300).contains(response.head.status) else {
                    throw HTTPRequestError(.status, "GET \(url) answered \(response.head.status)")
                }
            }
        } catch {
            try? await store.close()
            printError("cannot read the egress policy: \(error)")
            throw ExitStatus.invalidInput
        }
        var moto: DemoEstate.Moto?
        if demo {
            do {
                let started = try DemoEstate.Moto()
                moto = started
                let added = try await DemoEstate.install(moto: started, store: store, secretBox: secretBox, environment: environment)
                printError("weft serve --demo: moto on \(started.endpoint) with a small estate in \(DemoEstate.regions.joined(separator: ", ")); "
                    + "connector '\(DemoEstate.connectorName)'" + (added.isEmpty ? "" : "; flows added: \(added.joined(separator: ", "))"))
            } catch {
                try? await store.close()
                printError("cannot set up the demo: \(error)")
                throw ExitStatus.invalidInput
            }
        }
        let server = WeftServer(store: store, configuration: configuration)
        let host = self.host
        do {
            try await server.serve { port in
                printError("weft serve: listening on http://\(host):\(port) — log in as '\(ServerBootstrap.adminName)' "
                    + "(POST /api/v1/login), or create an API token: weft token create \(ServerBootstrap.adminName) --data \(dataDirectory)")
            }
        } catch {
            try? await store.close()
            printError("the server stopped: \(error)")
            throw ExitStatus.runFailed
        }
        withExtendedLifetime(moto) {}
        try? await store.close()
    }
}

extension ServeCommand {
    /// A clock that reads the time from `path` (ISO 8601) each time it is asked, for tests that drive
    /// the scheduler; the system clock while the file is missing or unreadable.
    static func fileClock(_ path: String) -> @Sendable () -> Date {
        {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let date = ISODate.parse(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return Date() }
            return date
        }
    }
}
