import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WeftCloudNodes
import WeftEngine
import WeftModel
import WeftServer
import WeftStore
import WeftTesting

/// SPEC 8 over every route. Each route of `APIRoutes.endpoints` has an entry in `table` saying who may
/// call it; every cell — route × role × (caller owns the flow or not) × (flow carries the caller's tag
/// or not) × (export/import/clone grant held or not), each dimension only where the route concerns it —
/// is called on a live server. A denied cell answers 403 `forbidden` and leaves flows (with versions),
/// runs, executions, users, tokens, connectors and credentials as they were; an allowed cell answers
/// neither 401 nor 403 (nor 5xx).
@Suite("RBAC matrix")
struct AccessMatrixTests {
    @Test func everyRouteHasAnEntry() {
        let routes = APIRoutes.endpoints.map { "\($0.method) \($0.path)" }
        let entries = Self.table.map(\.route)
        for route in routes where !entries.contains(route) {
            Issue.record("route \(route) has no entry in the RBAC matrix (AccessMatrixTests.table)")
        }
        for route in entries where !routes.contains(route) {
            Issue.record("the RBAC matrix has an entry for \(route), which is not a route")
        }
        for route in Set(entries) where entries.filter({ $0 == route }).count > 1 {
            Issue.record("the RBAC matrix has more than one entry for \(route)")
        }
    }

    @Test(arguments: StoreBackend.allCases, Role.allCases)
    func everyRouteForOneRole(_ backend: StoreBackend, _ role: Role) async throws {
        try await ServerHarness.run(
            backend: backend, extraTypes: CloudNodeCatalog.types, configure: { $0.awsCatalog = MatrixWorld.awsCatalog }
        ) { harness, client in
            let world = try await MatrixWorld.make(harness: harness, client: client, role: role)
            var baseline: StoreSnapshot?
            for endpoint in APIRoutes.endpoints {
                let route = "\(endpoint.method) \(endpoint.path)"
                guard let entry = Self.table.first(where: { $0.route == route }) else { continue }
                for cell in entry.rule.cells(role: role) {
                    try await Self.check(entry, cell, in: world, baseline: &baseline)
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func authenticatedRoutesAnswer401WithoutCredentials(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let before = try await StoreSnapshot.take(harness.store)
            for endpoint in APIRoutes.endpoints
            where !APIRoutes.publicEndpoints.contains("\(endpoint.method) \(endpoint.path)") {
                let path = endpoint.path.split(separator: "/", omittingEmptySubsequences: false).map {
                    $0.hasPrefix("{") ? "x1" : String($0)
                }.joined(separator: "/")
                let reply = try await client.matrixSend(
                    HTTPRequest.Method(endpoint.method)!, path, token: nil, json: endpoint.method == "GET" ? nil : [:])
                #expect(
                    reply.status == 401 && reply.code == "unauthenticated",
                    "\(endpoint.method) \(endpoint.path) without credentials: \(reply.status) \(reply.text.prefix(200))")
            }
            let after = try await StoreSnapshot.take(harness.store)
            #expect(after == before, "calls without credentials changed \(after.differences(from: before))")
        }
    }

    /// Calls one cell and checks its outcome; a denied cell also must leave the store unchanged.
    /// `baseline` is the store as the last denied cell left it, `nil` when something may have changed since.
    static func check(
        _ entry: MatrixEntry, _ cell: MatrixCell, in world: MatrixWorld, baseline: inout StoreSnapshot?
    ) async throws {
        let preparations = world.preparations.withLock { $0 }
        let request = try await entry.request(world, cell)
        if world.preparations.withLock({ $0 }) != preparations { baseline = nil }
        let token = request.anonymous ? nil : world.caller(cell).token
        let expected = entry.rule.outcome(cell)
        let label = "\(cell) \(entry.route) (\(request.path))"
        guard expected != .allowed else {
            baseline = nil
            let reply = try await world.client.matrixSend(entry.method, request.path, token: token, json: request.body)
            #expect(
                reply.status != 401 && reply.status != 403 && reply.status < 500,
                "\(label): expected allowed, got \(reply.status) \(reply.text.prefix(300))")
            return
        }
        if baseline == nil {
            await world.harness.server.waitForRuns()
            baseline = try await StoreSnapshot.take(world.harness.store)
        }
        let before = try #require(baseline)
        let reply = try await world.client.matrixSend(entry.method, request.path, token: token, json: request.body)
        switch expected {
        case .forbidden:
            #expect(
                reply.status == 403 && reply.code == "forbidden",
                "\(label): expected 403 forbidden, got \(reply.status) \(reply.text.prefix(300))")
        case .concealed:
            #expect(
                reply.status == 404 && reply.code == "not_found",
                "\(label): expected 404 not_found, got \(reply.status) \(reply.text.prefix(300))")
        case .allowed:
            break
        }
        await world.harness.server.waitForRuns()
        let after = try await StoreSnapshot.take(world.harness.store)
        #expect(after == before, "\(label): a denied call changed \(after.differences(from: before))")
        baseline = after
    }

    // MARK: The table

    static let creators: Set<Role> = [.manager, .admin, .powerDeveloper, .developer]
    static let managerOnly: Set<Role> = [.manager]
    static let managersAndAdmins: Set<Role> = [.manager, .admin]

    /// One entry per route of `APIRoutes.endpoints`: who may call it, and the request a cell sends.
    static let table: [MatrixEntry] = [
        // System
        MatrixEntry(.get, "/healthz", .everyone) { _, _ in MatrixRequest("/healthz") },
        MatrixEntry(.get, "/api/v1/healthz", .everyone) { _, _ in MatrixRequest("/api/v1/healthz") },
        MatrixEntry(.get, "/api/v1/openapi.json", .everyone) { _, _ in MatrixRequest("/api/v1/openapi.json") },
        MatrixEntry(.get, "/api/v1/node-types", .everyone) { _, _ in MatrixRequest("/api/v1/node-types") },

        // The AWS catalog and templates
        MatrixEntry(.get, "/api/v1/node-types/aws/services", .everyone) { _, _ in
            MatrixRequest("/api/v1/node-types/aws/services")
        },
        MatrixEntry(.get, "/api/v1/node-types/aws/services/{service}", .everyone) { _, _ in
            MatrixRequest("/api/v1/node-types/aws/services/demo")
        },
        MatrixEntry(.get, "/api/v1/node-types/aws/services/{service}/operations/{operation}", .everyone) { _, _ in
            MatrixRequest("/api/v1/node-types/aws/services/demo/operations/DescribeThings")
        },
        MatrixEntry(.get, "/api/v1/templates", .everyone) { _, _ in MatrixRequest("/api/v1/templates") },
        MatrixEntry(.get, "/api/v1/templates/{name}", .everyone) { _, _ in
            MatrixRequest("/api/v1/templates/public-rds-instances")
        },
        MatrixEntry(.post, "/api/v1/templates/{name}/instantiate", .roles(creators)) { _, _ in
            MatrixRequest("/api/v1/templates/public-rds-instances/instantiate")
        },

        // Accounts
        MatrixEntry(.post, "/api/v1/login", .everyone) { world, cell in
            let caller = world.caller(cell)
            return MatrixRequest(
                "/api/v1/login", body: ["username": .string(caller.name), "password": .string(caller.password)],
                anonymous: true)
        },
        MatrixEntry(.post, "/api/v1/logout", .everyone) { _, _ in MatrixRequest("/api/v1/logout", anonymous: true) },
        MatrixEntry(.get, "/api/v1/me", .everyone) { _, _ in MatrixRequest("/api/v1/me") },
        MatrixEntry(.get, "/api/v1/users", .roles(managerOnly)) { _, _ in MatrixRequest("/api/v1/users") },
        MatrixEntry(.post, "/api/v1/users", .roles(managerOnly)) { _, _ in
            MatrixRequest(
                "/api/v1/users",
                body: ["name": .string("new-\(MatrixWorld.unique())"), "role": "reader", "password": "long-enough-1"])
        },
        MatrixEntry(.patch, "/api/v1/users/{id}", .roles(managerOnly)) { world, _ in
            MatrixRequest("/api/v1/users/\(world.victimId)", body: ["tags": ["team-v"]])
        },
        MatrixEntry(.delete, "/api/v1/users/{id}", .roles(managerOnly)) { world, _ in
            MatrixRequest("/api/v1/users/\(try await world.freshUser())")
        },
        MatrixEntry(.get, "/api/v1/tokens", .everyone) { _, _ in MatrixRequest("/api/v1/tokens") },
        MatrixEntry(.post, "/api/v1/tokens", .everyone) { _, _ in MatrixRequest("/api/v1/tokens", body: ["name": "matrix"]) },
        MatrixEntry(.delete, "/api/v1/tokens/{id}", .ownToken) { world, cell in
            let owner = cell.owns ? world.caller(cell).id : world.other.id
            return MatrixRequest("/api/v1/tokens/\(try await world.freshToken(userId: owner))")
        },

        // Flows
        MatrixEntry(.get, "/api/v1/flows", .everyone) { _, _ in MatrixRequest("/api/v1/flows") },
        MatrixEntry(.get, "/api/v1/flows/categories", .everyone) { _, _ in MatrixRequest("/api/v1/flows/categories") },
        MatrixEntry(.get, "/api/v1/flows/tags", .everyone) { _, _ in MatrixRequest("/api/v1/flows/tags") },
        MatrixEntry(.get, "/api/v1/flows/{id}/diff", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/diff")
        },
        MatrixEntry(.post, "/api/v1/flows", .roles(creators)) { _, _ in
            MatrixRequest("/api/v1/flows", body: sampleFlow(name: "Created"))
        },
        MatrixEntry(.get, "/api/v1/flows/{id}", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)")
        },
        MatrixEntry(.put, "/api/v1/flows/{id}", .flow(.edit)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)", body: sampleFlow(name: "Edited", tags: cell.flowTags))
        },
        MatrixEntry(.delete, "/api/v1/flows/{id}", .flow(.delete)) { world, cell in
            MatrixRequest("/api/v1/flows/\(try await world.freshFlow(cell))")
        },
        MatrixEntry(.get, "/api/v1/flows/{id}/versions", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/versions")
        },
        MatrixEntry(.get, "/api/v1/flows/{id}/versions/{version}", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/versions/1")
        },

        // Runs and executions
        MatrixEntry(.get, "/api/v1/flows/{id}/runs", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/runs")
        },
        MatrixEntry(.post, "/api/v1/flows/{id}/runs", .flow(.run)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/runs", body: [:])
        },

        // Deployment and events
        MatrixEntry(.post, "/api/v1/flows/{id}/deploy", .flow(.deploy)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/deploy", body: [:])
        },
        MatrixEntry(.post, "/api/v1/flows/{id}/undeploy", .flow(.deploy)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/undeploy", body: [:])
        },
        MatrixEntry(.post, "/api/v1/events", .roles(managersAndAdmins)) { _, _ in
            MatrixRequest("/api/v1/events", body: [
                "version": "0", "id": "matrix-event", "detail-type": "Matrix Test", "source": "weft.matrix",
                "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
                "detail": [:],
            ])
        },
        MatrixEntry(.get, "/api/v1/events", .roles(managersAndAdmins)) { _, _ in MatrixRequest("/api/v1/events") },
        MatrixEntry(.post, "/api/v1/webhooks/{id}", .everyone) { world, _ in
            let (path, token) = try await world.freshWebhook()
            return MatrixRequest(path + "?token=" + token, body: [
                "version": "0", "id": "matrix-webhook", "detail-type": "Matrix Test", "source": "weft.matrix",
                "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
                "detail": [:],
            ], anonymous: true)
        },
        MatrixEntry(.post, "/api/v1/connectors/{id}/webhook", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest("/api/v1/connectors/\(world.connectorId)/webhook", body: [:])
        },
        MatrixEntry(.delete, "/api/v1/connectors/{id}/webhook", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest("/api/v1/connectors/\(try await world.freshConnector())/webhook")
        },
        MatrixEntry(.post, "/api/v1/connectors/{id}/scan", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest("/api/v1/connectors/\(world.connectorId)/scan", body: [:])
        },
        MatrixEntry(.get, "/api/v1/flows/{id}/executions", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/executions")
        },
        MatrixEntry(.get, "/api/v1/runs/{id}", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/runs/\(world.flow(cell).runId)")
        },
        MatrixEntry(.post, "/api/v1/runs/{id}/cancel", .flow(.run)) { world, cell in
            MatrixRequest("/api/v1/runs/\(world.flow(cell).runId)/cancel")
        },
        MatrixEntry(.post, "/api/v1/runs/{id}/retry", .flow(.run)) { world, cell in
            MatrixRequest("/api/v1/runs/\(world.flow(cell).runId)/retry", body: [:])
        },
        MatrixEntry(.get, "/api/v1/runs/{id}/events", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/runs/\(world.flow(cell).runId)/events")
        },
        MatrixEntry(.get, "/api/v1/executions/{id}", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/executions/\(world.flow(cell).executionId)")
        },
        MatrixEntry(.get, "/api/v1/executions/{id}/steps", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/executions/\(world.flow(cell).executionId)/steps")
        },
        MatrixEntry(.get, "/api/v1/executions/{id}/steps/{sequence}/outputs/{output}", .flow(.read)) { world, cell in
            let fixture = world.flow(cell)
            return MatrixRequest("/api/v1/executions/\(fixture.executionId)/steps/\(fixture.sequence)/outputs/main")
        },
        MatrixEntry(.get, "/api/v1/executions/{id}/artifacts", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/executions/\(world.flow(cell).executionId)/artifacts")
        },
        MatrixEntry(.get, "/api/v1/executions/{id}/artifacts/{name}", .flow(.read)) { world, cell in
            MatrixRequest("/api/v1/executions/\(world.flow(cell).executionId)/artifacts/report.csv")
        },

        // Connectors and HTTP credentials
        MatrixEntry(.get, "/api/v1/connectors", .everyone) { _, _ in MatrixRequest("/api/v1/connectors") },
        MatrixEntry(.post, "/api/v1/connectors", .roles(managersAndAdmins)) { _, _ in
            MatrixRequest("/api/v1/connectors", body: MatrixWorld.connectorBody())
        },
        MatrixEntry(.get, "/api/v1/connectors/{id}", .everyone) { world, _ in
            MatrixRequest("/api/v1/connectors/\(world.connectorId)")
        },
        MatrixEntry(.put, "/api/v1/connectors/{id}", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest("/api/v1/connectors/\(world.connectorId)", body: MatrixWorld.connectorBody(name: "matrix-connector"))
        },
        MatrixEntry(.delete, "/api/v1/connectors/{id}", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest("/api/v1/connectors/\(try await world.freshConnector())")
        },
        MatrixEntry(.get, "/api/v1/credentials", .everyone) { _, _ in MatrixRequest("/api/v1/credentials") },
        MatrixEntry(.post, "/api/v1/credentials", .roles(managersAndAdmins)) { _, _ in
            MatrixRequest("/api/v1/credentials", body: MatrixWorld.credentialBody())
        },
        MatrixEntry(.get, "/api/v1/credentials/{id}", .everyone) { world, _ in
            MatrixRequest("/api/v1/credentials/\(world.credentialId)")
        },
        MatrixEntry(.put, "/api/v1/credentials/{id}", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest(
                "/api/v1/credentials/\(world.credentialId)", body: MatrixWorld.credentialBody(name: "matrix-credential"))
        },
        MatrixEntry(.delete, "/api/v1/credentials/{id}", .roles(managersAndAdmins)) { world, _ in
            MatrixRequest("/api/v1/credentials/\(try await world.freshCredential())")
        },

        // Export, import, clone: each a grant (Managers and Admins hold them by role)
        MatrixEntry(.post, "/api/v1/flows/export", .grant(.export, .flow(.read))) { world, cell in
            MatrixRequest("/api/v1/flows/export", body: ["flowIds": [.string(world.flow(cell).flowId)]])
        },
        MatrixEntry(.post, "/api/v1/flows/import", .grant(.import, .roles(creators))) { _, _ in
            MatrixRequest("/api/v1/flows/import", body: ["weft": 1, "flows": [sampleFlow(name: "Imported")]])
        },
        MatrixEntry(.post, "/api/v1/flows/{id}/clone", .grant(.clone, .all([.flow(.read), .roles(creators)]))) {
            world, cell in
            MatrixRequest("/api/v1/flows/\(world.flow(cell).flowId)/clone")
        },

        // Operations
        MatrixEntry(.get, "/api/v1/roles", .everyone) { _, _ in MatrixRequest("/api/v1/roles") },
        MatrixEntry(.get, "/api/v1/audit", .roles(managersAndAdmins)) { _, _ in MatrixRequest("/api/v1/audit") },
        MatrixEntry(.get, "/metrics", .roles(managersAndAdmins)) { _, _ in MatrixRequest("/metrics") },
    ]
}

// MARK: - Rules and cells

/// What the matrix expects of a cell.
enum MatrixOutcome: Sendable, Equatable {
    /// Anything but 401, 403 or 5xx: the handler's own answer to a harmless request.
    case allowed
    /// 403 `forbidden`, and the store unchanged.
    case forbidden
    /// 404 `not_found`, and the store unchanged: the thing is not the caller's to see.
    case concealed
}

/// Who may call a route, as SPEC 8 says.
indirect enum AccessRule: Sendable {
    /// Every role.
    case everyone
    /// These roles, whatever else holds.
    case roles(Set<Role>)
    /// The roles that may do `action` on the route's flow (or the flow of its run or execution),
    /// by ownership and tags.
    case flow(FlowAction)
    /// The grant (which Managers and Admins hold by role) and the rule.
    case grant(ExchangeGrant, AccessRule)
    /// Every one of the rules.
    case all([AccessRule])
    /// The caller's own API token: allowed. Another user's: a Manager may; to others it does not exist.
    case ownToken

    /// SPEC 8's role table, restated here so that the matrix does not check `AccessPolicy` against itself:
    /// what each role may do to any flow, to flows it owns, and to flows carrying one of its tags.
    static let rights: [Role: (any: Set<FlowAction>, own: Set<FlowAction>, tagged: Set<FlowAction>)] = [
        .manager: (any: [.read, .create, .edit, .delete, .run, .deploy], own: [], tagged: []),
        .admin: (any: [.read, .create, .edit, .delete, .run, .deploy], own: [], tagged: []),
        .powerDeveloper: (any: [.create], own: [.read, .edit, .delete, .run, .deploy], tagged: []),
        .developer: (any: [.create], own: [.read, .edit, .delete, .run], tagged: []),
        .deployer: (any: [], own: [], tagged: [.read, .run, .deploy]),
        .reader: (any: [], own: [], tagged: [.read]),
    ]

    func outcome(_ cell: MatrixCell) -> MatrixOutcome {
        switch self {
        case .everyone:
            return .allowed
        case .roles(let roles):
            return roles.contains(cell.role) ? .allowed : .forbidden
        case .flow(let action):
            let rights = Self.rights[cell.role]!
            let allowed = rights.any.contains(action) || (cell.owns && rights.own.contains(action))
                || (cell.tagged && rights.tagged.contains(action))
            return allowed ? .allowed : .forbidden
        case .grant(let grant, let rule):
            let held = cell.role == .manager || cell.role == .admin || cell.grant == grant
            return held ? rule.outcome(cell) : .forbidden
        case .all(let rules):
            return rules.map { $0.outcome(cell) }.first { $0 != .allowed } ?? .allowed
        case .ownToken:
            return cell.owns || cell.role == .manager ? .allowed : .concealed
        }
    }

    /// Whether the route concerns a flow: its cells vary ownership and tags.
    var concernsFlow: Bool {
        switch self {
        case .flow: true
        case .grant(_, let rule): rule.concernsFlow
        case .all(let rules): rules.contains { $0.concernsFlow }
        case .everyone, .roles, .ownToken: false
        }
    }

    /// Whether the route concerns something the caller may own.
    var concernsOwnership: Bool {
        if case .ownToken = self { return true }
        return concernsFlow
    }

    /// The grant the route needs, if any: its cells vary holding it.
    var grant: ExchangeGrant? {
        switch self {
        case .grant(let grant, _): grant
        case .all(let rules): rules.lazy.compactMap(\.grant).first
        case .everyone, .roles, .flow, .ownToken: nil
        }
    }

    /// The cells of `role` this rule distinguishes.
    func cells(role: Role) -> [MatrixCell] {
        var cells: [MatrixCell] = []
        for held in grant.map { [nil, $0] } ?? [nil] {
            for owns in concernsOwnership ? [true, false] : [false] {
                for tagged in concernsFlow ? [true, false] : [false] {
                    cells.append(
                        MatrixCell(
                            role: role, owns: owns, tagged: tagged, grant: held, concernsOwnership: concernsOwnership,
                            concernsFlow: concernsFlow))
                }
            }
        }
        return cells
    }
}

/// One cell: a role, and where the route concerns them, ownership, the flow's tag and a grant.
struct MatrixCell: Sendable, CustomStringConvertible {
    var role: Role
    var owns: Bool
    var tagged: Bool
    /// The one grant the caller holds; `nil`: none.
    var grant: ExchangeGrant?
    var concernsOwnership: Bool
    var concernsFlow: Bool

    /// The tags of the flow the cell calls a route on.
    var flowTags: [String] { [tagged ? MatrixWorld.tag : MatrixWorld.otherTag] }

    var description: String {
        var parts = [role.rawValue]
        if concernsOwnership { parts.append(owns ? "owner" : "not owner") }
        if concernsFlow { parts.append(tagged ? "tagged" : "untagged") }
        if let grant { parts.append("with the \(grant.rawValue) grant") }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}

/// A route's entry in the matrix: its rule, and how a cell builds its request.
struct MatrixEntry: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var rule: AccessRule
    var request: @Sendable (MatrixWorld, MatrixCell) async throws -> MatrixRequest

    init(
        _ method: HTTPRequest.Method, _ path: String, _ rule: AccessRule,
        request: @escaping @Sendable (MatrixWorld, MatrixCell) async throws -> MatrixRequest
    ) {
        self.method = method; self.path = path; self.rule = rule; self.request = request
    }

    /// `METHOD path`, as `APIRoutes.endpoints` names routes.
    var route: String { "\(method.rawValue) \(path)" }
}

/// The request of one cell.
struct MatrixRequest: Sendable {
    var path: String
    var body: JSON?
    /// Sent without the caller's token (login, logout).
    var anonymous: Bool

    init(_ path: String, body: JSON? = nil, anonymous: Bool = false) {
        self.path = path; self.body = body; self.anonymous = anonymous
    }
}

// MARK: - The world a role's cells run in

/// A user the matrix calls routes as.
struct MatrixCaller: Sendable {
    var id: String
    var name: String
    var password: String
    var token: String
}

/// A flow of the matrix with a finished run: its execution and a step with a `main` output.
struct FlowFixture: Sendable {
    var flowId: String
    var runId: String
    var executionId: String
    var sequence: Int
}

/// One server's fixtures for one role: callers with that role — one without grants, and one per
/// exchange grant holding only it — each (but the holders of grants no flow route needs) with four
/// flows (owned or not × tagged or not) that have a finished run, and a user, a connector and a
/// credential to change.
struct MatrixWorld: Sendable {
    /// The tag both callers carry; flows carry it or `otherTag`.
    static let tag = "team-s"
    static let otherTag = "team-z"

    let harness: ServerHarness
    let client: any TestClientProtocol
    let boss: MatrixCaller
    let plain: MatrixCaller
    /// Per grant, a caller holding only that grant.
    let holders: [ExchangeGrant: MatrixCaller]
    /// The owner of the flows the callers do not own.
    let other: MatrixCaller
    let victimId: String
    let connectorId: String
    let credentialId: String
    let flows: [String: FlowFixture]
    /// How many things the `fresh…` functions have made: a cell that made one needs a new baseline.
    let preparations = LockedBox(0)

    static func unique() -> String { String(UUID().uuidString.lowercased().prefix(12)) }

    static func make(harness: ServerHarness, client: any TestClientProtocol, role: Role) async throws -> MatrixWorld {
        func caller(_ name: String, _ role: Role, tags: [String] = [], grants: [String] = []) async throws -> MatrixCaller {
            let (user, token) = try await harness.user(name, role, tags: tags, grants: grants)
            return MatrixCaller(id: user.id, name: name, password: "password-\(name)", token: token)
        }
        let boss = try await caller("boss", .manager)
        let plain = try await caller("subject", role, tags: [tag])
        var holders: [ExchangeGrant: MatrixCaller] = [:]
        for grant in ExchangeGrant.allCases {
            holders[grant] = try await caller("holder-\(grant.rawValue)", role, tags: [tag], grants: [grant.rawValue])
        }
        let other = try await caller("other", .developer)
        let victim = try await caller("victim", .reader)

        var runs: [String: (flowId: String, runId: String)] = [:]
        let grantsOnFlows = Set(AccessMatrixTests.table.filter(\.rule.concernsFlow).compactMap(\.rule.grant))
        for caller in [plain] + ExchangeGrant.allCases.filter(grantsOnFlows.contains).map({ holders[$0]! }) {
            for owns in [true, false] {
                for tagged in [true, false] {
                    let flowId = try await saveFlow(
                        harness.store, owner: owns ? caller.id : other.id, tags: [tagged ? tag : otherTag])
                    let started = try await client.matrixSend(
                        .post, "/api/v1/flows/\(flowId)/runs", token: boss.token, json: [:])
                    try #require(started.status == 202, "\(started.text)")
                    let runId = try #require(started.json?["run"]?["id"]?.stringValue)
                    runs[key(caller.id, owns, tagged)] = (flowId, runId)
                }
            }
        }
        await harness.server.waitForRuns()
        var flows: [String: FlowFixture] = [:]
        for (key, run) in runs {
            let execution = try #require(try await harness.store.executions(runId: run.runId).first)
            let step = try #require(
                try await harness.store.steps(executionId: execution.id).first { $0.outputs["main"] != nil },
                "the fixture run recorded no step with a main output")
            flows[key] = FlowFixture(flowId: run.flowId, runId: run.runId, executionId: execution.id, sequence: step.sequence)
        }

        let connector = try await client.matrixSend(.post, "/api/v1/connectors", token: boss.token, json: connectorBody())
        let credential = try await client.matrixSend(.post, "/api/v1/credentials", token: boss.token, json: credentialBody())
        return MatrixWorld(
            harness: harness, client: client, boss: boss, plain: plain, holders: holders, other: other,
            victimId: victim.id, connectorId: try #require(connector.json?["connector"]?["id"]?.stringValue),
            credentialId: try #require(credential.json?["credential"]?["id"]?.stringValue), flows: flows)
    }

    static func key(_ callerId: String, _ owns: Bool, _ tagged: Bool) -> String { "\(callerId) \(owns) \(tagged)" }

    static func saveFlow(_ store: SQLStore, owner: String, tags: [String]) async throws -> String {
        let id = "flw_matrix_\(unique())"
        let name = "Matrix \(id)"
        _ = try await store.saveFlow(
            id: id, name: name, owner: owner, categories: [], tags: tags, document: sampleFlow(name: name, tags: tags),
            author: owner)
        return id
    }

    /// A one-service AWS catalog: `demo` with the operation `DescribeThings`.
    static let awsCatalog = AWSCatalogProvider(
        serviceNames: { ["demo"] },
        summary: { $0 == "demo" ? AWSServiceSummary(name: "demo", fullName: "Demo", protocolName: "json") : nil },
        service: { name in
            guard name == "demo" else { return nil }
            return (
                AWSServiceSummary(name: "demo", fullName: "Demo", protocolName: "json"),
                [AWSOperationSummary(operation: "DescribeThings", friendlyName: "Things", read: true)]
            )
        },
        operation: { service, operation in
            service == "demo" && operation == "DescribeThings" ? ["service": "demo", "operation": "DescribeThings"] : nil
        })

    static func connectorBody(name: String? = nil) -> JSON {
        ["name": .string(name ?? "connector-\(unique())"), "provider": "aws", "regions": ["us-east-1"]]
    }

    static func credentialBody(name: String? = nil) -> JSON {
        ["name": .string(name ?? "credential-\(unique())"), "type": "bearer", "token": "matrix-token"]
    }

    /// The user a cell calls as.
    func caller(_ cell: MatrixCell) -> MatrixCaller { cell.grant.map { holders[$0]! } ?? plain }

    /// The cell's flow fixture: owned by the caller or not, carrying the caller's tag or not.
    func flow(_ cell: MatrixCell) -> FlowFixture {
        flows[Self.key(caller(cell).id, cell.owns, cell.tagged)]!
    }

    /// A new flow like the cell's fixture, for a call that may delete it.
    func freshFlow(_ cell: MatrixCell) async throws -> String {
        preparations.withLock { $0 += 1 }
        return try await Self.saveFlow(harness.store, owner: cell.owns ? caller(cell).id : other.id, tags: cell.flowTags)
    }

    /// A new user, for a call that may delete it.
    func freshUser() async throws -> String {
        preparations.withLock { $0 += 1 }
        let id = "usr_spare_\(Self.unique())"
        try await harness.store.createUser(UserRecord(id: id, name: id, role: .reader, createdAt: Date()))
        return id
    }

    /// A new API token of `userId`, for a call that may delete it.
    func freshToken(userId: String) async throws -> String {
        preparations.withLock { $0 += 1 }
        let id = "tok_spare_\(Self.unique())"
        try await harness.store.createToken(
            APITokenRecord(
                id: id, userId: userId, name: "spare", tokenHash: Credentials.hash(Credentials.newSecret(prefix: "wft_")),
                createdAt: Date()))
        return id
    }

    /// A new connector, for a call that may delete it.
    func freshConnector() async throws -> String {
        preparations.withLock { $0 += 1 }
        let reply = try await client.matrixSend(.post, "/api/v1/connectors", token: boss.token, json: Self.connectorBody())
        return try #require(reply.json?["connector"]?["id"]?.stringValue, "\(reply.text)")
    }

    /// A new connector with a webhook: its path and token.
    func freshWebhook() async throws -> (path: String, token: String) {
        let id = try await freshConnector()
        let reply = try await client.matrixSend(.post, "/api/v1/connectors/\(id)/webhook", token: boss.token, json: [:])
        let webhook = try #require(reply.json?["webhook"], "\(reply.text)")
        return (try #require(webhook["path"]?.stringValue), try #require(webhook["token"]?.stringValue))
    }

    /// A new HTTP credential, for a call that may delete it.
    func freshCredential() async throws -> String {
        preparations.withLock { $0 += 1 }
        let reply = try await client.matrixSend(.post, "/api/v1/credentials", token: boss.token, json: Self.credentialBody())
        return try #require(reply.json?["credential"]?["id"]?.stringValue, "\(reply.text)")
    }
}

// MARK: - The store before and after

/// Everything a denied call must not change: flows with every version, runs, executions, users,
/// API tokens, connectors and HTTP credentials.
struct StoreSnapshot: Equatable {
    var flows: [FlowRecord]
    var versions: [FlowVersion]
    var runs: [RunRecord]
    var executions: [ExecutionRecord]
    var users: [UserRecord]
    var tokens: [APITokenRecord]
    var connectors: [ConnectorRecord]
    var credentials: [HTTPCredentialRecord]

    static func take(_ store: SQLStore) async throws -> StoreSnapshot {
        async let flowList = store.flows()
        async let runList = store.runs(flowId: nil, limit: 1_000_000)
        async let userList = store.users()
        async let connectors = store.connectors()
        async let credentials = store.httpCredentials()
        let flows = try await flowList.sorted { $0.id < $1.id }
        let runs = try await runList.sorted { $0.id < $1.id }
        let users = try await userList.sorted { $0.id < $1.id }
        return StoreSnapshot(
            flows: flows, versions: try await gather(flows.map(\.id)) { try await store.flowVersions(flowId: $0) },
            runs: runs,
            executions: try await gather(runs.map(\.id)) { try await store.executions(runId: $0).sorted { $0.id < $1.id } },
            users: users,
            tokens: try await gather(users.map(\.id)) { try await store.tokens(userId: $0).sorted { $0.id < $1.id } },
            connectors: try await connectors.sorted { $0.id < $1.id },
            credentials: try await credentials.sorted { $0.id < $1.id })
    }

    /// `read` of every key, run concurrently, concatenated in the order of `keys`.
    private static func gather<Element: Sendable>(
        _ keys: [String], _ read: @escaping @Sendable (String) async throws -> [Element]
    ) async throws -> [Element] {
        try await withThrowingTaskGroup(of: (Int, [Element]).self) { group in
            for (index, key) in keys.enumerated() { group.addTask { (index, try await read(key)) } }
            var parts = [[Element]](repeating: [], count: keys.count)
            for try await (index, part) in group { parts[index] = part }
            return parts.flatMap { $0 }
        }
    }

    /// The names of the parts that differ, e.g. `flows, versions`.
    func differences(from other: StoreSnapshot) -> String {
        var parts: [String] = []
        if flows != other.flows { parts.append("flows") }
        if versions != other.versions { parts.append("versions") }
        if runs != other.runs { parts.append("runs") }
        if executions != other.executions { parts.append("executions") }
        if users != other.users { parts.append("users") }
        if tokens != other.tokens { parts.append("tokens") }
        if connectors != other.connectors { parts.append("connectors") }
        if credentials != other.credentials { parts.append("credentials") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }
}

/// A response as the matrix reads it: status, the error code, the body as text and, when it is JSON, as JSON.
struct MatrixReply {
    var status: Int
    var text: String
    var json: JSON?

    var code: String? { json?["error"]?["code"]?.stringValue }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and JSON body; any body (JSON, text, event stream) is read.
    func matrixSend(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: JSON?) async throws -> MatrixReply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json.serialized())
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let bytes = Array(response.body.readableBytesView)
            return MatrixReply(
                status: Int(response.status.code), text: String(decoding: bytes, as: UTF8.self),
                json: bytes.isEmpty ? nil : try? JSON.parse(bytes))
        }
    }
}
