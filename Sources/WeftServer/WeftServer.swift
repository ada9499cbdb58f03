import Foundation
import Hummingbird
import Logging
import WeftEngine
import WeftModel

/// Everything the server persists: flows, runs, the step journal, users, connectors and credentials,
/// the audit log, deployments.
public typealias ServerStore = FlowStore & RunStore & StepJournal & UserStore & ConnectorStore & AuditStore & DeploymentStore
    & TriggerStore

/// How `weft serve` is set up.
public struct ServerConfiguration: Sendable {
    /// The address to bind; `127.0.0.1` unless told otherwise.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// The node types flows are validated against and run with.
    public var registry: NodeRegistry
    /// Services, limits and worker name for runs started through the API.
    public var runner: RunnerConfiguration
    /// bcrypt cost for new password hashes (12 in production; tests use 4).
    public var bcryptCost: UInt8
    /// The largest request body accepted, in bytes; larger ones get 413.
    public var maxBodyBytes: Int
    /// How long a login session lasts.
    public var sessionLifetime: TimeInterval
    /// Adds `Secure` to the session cookie (set when served over HTTPS).
    public var secureCookies: Bool
    /// Failed logins per user name before further attempts are refused for `loginWindow`.
    public var maxLoginFailures: Int
    /// Failed logins per client address, whatever the names, before it is refused for `loginWindow`.
    public var maxLoginFailuresPerAddress = 20
    public var loginWindow: Duration
    /// Where report files of runs are kept (`<dir>/<execution id>/<file>`); `nil`: report nodes fail
    /// for want of a place.
    public var artifactsDirectory: String?
    /// How often an event stream gets a heartbeat comment and a check of the run's stored status.
    public var eventHeartbeat: Duration = .seconds(15)
    /// Seals connector and HTTP-credential secrets at rest; a fresh random key unless given.
    public var secretBox: SecretBox
    /// Builds a run's node services from the base services (`runner.services`) and the run's
    /// connectors and named HTTP credentials, secrets opened; returns them with the secret values the
    /// services hold, for the run's masker. `nil`: runs use `runner.services` as they are.
    public var servicesForRun: RunServicesProvider?
    /// The AWS catalog behind `/api/v1/node-types/aws/…`; `nil`: those routes answer 503.
    public var awsCatalog: AWSCatalogProvider? = nil
    /// How often `serve` fires due schedules and scans; `nil`: never (another process does).
    public var schedulerInterval: Duration? = .seconds(10)
    /// How late a due time may be found and still fire as on time; older ones count as missed.
    public var scheduleGrace: TimeInterval = 60
    /// The scheduler's clock (tests give their own).
    public var schedulerClock: @Sendable () -> Date = { Date() }
    /// Names this process in schedule claims.
    public var instanceId = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(Credentials.newSecret().prefix(8))"
    /// Fetches an SNS `SubscribeURL` to confirm a webhook's subscription (`weft serve` uses its HTTP
    /// client with the egress policy); `nil`: confirmations answer 503.
    public var confirmSubscription: (@Sendable (String) async throws -> Void)? = nil
    /// The web UI's files, served at `/ui/` (`/` redirects there); `nil`: the copy bundled with the server.
    public var uiDirectory: String? = nil
    /// Debian's `libjs-codemirror`, served at `/vendor/codemirror/` for the editor's code fields; a
    /// missing directory leaves them plain text areas.
    public var codemirrorDirectory = "/usr/share/javascript/codemirror"

    public init(
        host: String = "127.0.0.1", port: Int = 8080, registry: NodeRegistry,
        runner: RunnerConfiguration = RunnerConfiguration(), bcryptCost: UInt8 = 12,
        maxBodyBytes: Int = 2 * 1024 * 1024, sessionLifetime: TimeInterval = 12 * 3600,
        secureCookies: Bool = false, maxLoginFailures: Int = 5, loginWindow: Duration = .seconds(900),
        secretBox: SecretBox = .random(), servicesForRun: RunServicesProvider? = nil
    ) {
        self.host = host; self.port = port; self.registry = registry; self.runner = runner
        self.bcryptCost = bcryptCost; self.maxBodyBytes = maxBodyBytes; self.sessionLifetime = sessionLifetime
        self.secureCookies = secureCookies; self.maxLoginFailures = maxLoginFailures; self.loginWindow = loginWindow
        self.secretBox = secretBox; self.servicesForRun = servicesForRun
    }
}

/// The request context of every route: Hummingbird's core storage and a body limit.
public struct WeftRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address (`nil` when the transport has none, as in router tests).
    public var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { 2 * 1024 * 1024 }
}

/// The Weft HTTP server: the API's state and the application serving it.
public final class WeftServer: Sendable {
    public let store: any ServerStore
    public let configuration: ServerConfiguration
    let throttle: LoginThrottle
    let addressThrottle: LoginThrottle
    let worker: RunWorker
    let events = RunEvents()
    let metrics = ServerMetrics()
    /// Problems that concern no request in particular (an audit entry that could not be written).
    let logger = Logger(label: "weft.server")
    /// A bcrypt hash checked when a login names no user, so both paths take as long.
    let decoyHash: String

    public init(store: any ServerStore, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        self.throttle = LoginThrottle(maxFailures: configuration.maxLoginFailures, window: configuration.loginWindow)
        self.addressThrottle = LoginThrottle(maxFailures: configuration.maxLoginFailuresPerAddress, window: configuration.loginWindow)
        var runner = configuration.runner
        if let directory = configuration.artifactsDirectory { runner.artifacts = DirectoryArtifacts(root: directory) }
        self.worker = RunWorker(
            runner: Runner(registry: configuration.registry, store: store, configuration: runner),
            events: events, metrics: metrics)
        self.decoyHash = Credentials.hashPassword(Credentials.newSecret(), cost: configuration.bcryptCost)
    }

    /// The router with every route of `APIRoutes.all`, behind the middleware that answers errors as JSON.
    public func makeRouter() -> Router<WeftRequestContext> {
        let router = Router(context: WeftRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        addUserInterface(to: router)
        for route in APIRoutes.all {
            let path = RouterPath(route.hummingbirdPath)
            router.on(path, method: route.method) { request, context in
                try await self.respond(to: request, context: context, route: route)
            }
        }
        return router
    }

    /// The application serving `makeRouter()` on the configured host and port; `onRunning` gets the
    /// bound port once the server listens.
    public func makeApplication(logger: Logger? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        var logger = logger ?? Logger(label: "weft.server")
        if logger.logLevel > .info { logger.logLevel = .info }
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "weft"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves, and fires due schedules and scans every `schedulerInterval`, until SIGINT or SIGTERM;
    /// then cancels the runs in progress (they end `cancelled`, their journals complete) and waits for them.
    public func serve(logger: Logger? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let scheduler = configuration.schedulerInterval.map { interval in
            Task { await runScheduler(interval: interval, clock: configuration.schedulerClock) }
        }
        try await makeApplication(logger: logger, onRunning: onRunning).runService()
        scheduler?.cancel()
        await scheduler?.value
        await worker.cancelAll()
        await worker.waitForAll()
    }

    /// Waits until every run started through the API has ended.
    public func waitForRuns() async {
        await worker.waitForAll()
    }

    private func respond(to request: Request, context: WeftRequestContext, route: APIRoute) async throws -> Response {
        let clock = ContinuousClock()
        let started = clock.now
        var status = 500
        defer {
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            metrics.increment(ServerMetrics.requests, [("method", route.method.rawValue), ("route", route.path), ("status", String(status))])
            metrics.observe(ServerMetrics.requestSeconds, [("route", route.path)], seconds: seconds)
        }
        do {
            let response = try await handle(request, context: context, route: route)
            status = Int(response.status.code)
            return response
        } catch {
            status = Int(APIError.from(error).status.code)
            throw error
        }
    }

    /// Authenticates the caller and runs the route's handler; writes are audited, both the ones that
    /// succeed and the ones refused for the caller's role.
    private func handle(_ request: Request, context: WeftRequestContext, route: APIRoute) async throws -> Response {
        let caller: Caller?
        switch route.access {
        case .public:
            caller = nil
        case .authenticated:
            caller = try await authenticate(request)
        }
        let input = RouteInput(request: request, context: context, caller: caller)
        guard route.method != .get, route.path != "/api/v1/login" else {
            return try await route.handler(self, input)
        }
        let action = route.method.rawValue + " " + route.path
        do {
            let response = try await route.handler(self, input)
            await audit(action, target: request.uri.path, user: caller?.user, status: Int(response.status.code))
            return response
        } catch let error as APIError where error.status == .forbidden {
            await audit(action, target: request.uri.path, user: caller?.user, status: Int(error.status.code))
            throw error
        }
    }

    /// Appends to the audit log; a failure to record is logged, never answered to the caller.
    func audit(_ action: String, target: String, user: UserRecord?, status: Int, details: JSONObject = [:],
               actorName: String? = nil) async {
        let record = AuditRecord(at: Date(), actorId: user?.id, actorName: user?.name ?? actorName, action: action,
                                 target: target, status: status, details: .object(details))
        do { _ = try await store.appendAudit(record) } catch {
            logger.error("could not write the audit entry for \(action) \(target): \(error)")
        }
    }
}

/// What a handler gets: the request, its context, and the authenticated caller (for authenticated routes).
struct RouteInput: Sendable {
    var request: Request
    var context: WeftRequestContext
    var caller: Caller?

    /// The caller of an authenticated route.
    var user: UserRecord {
        get throws {
            guard let caller else { throw APIError.unauthenticated }
            return caller.user
        }
    }

    func parameter(_ name: String) throws -> String {
        guard let value = context.parameters.get(name) else {
            throw APIError.invalidRequest("missing path parameter '\(name)'")
        }
        return value
    }
}
