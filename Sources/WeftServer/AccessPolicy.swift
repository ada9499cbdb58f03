import WeftEngine

/// Something a caller may be allowed to do with a flow.
public enum FlowAction: String, Sendable, CaseIterable {
    case read, create, edit, delete, run, deploy
}

/// The caller of a request, as authenticated.
public struct Caller: Sendable, Equatable {
    public var user: UserRecord
    /// The session's CSRF token when authenticated by session cookie (writes then need it in the
    /// `X-CSRF-Token` header); `nil` for API tokens.
    public var csrfToken: String?

    public init(user: UserRecord, csrfToken: String? = nil) {
        self.user = user; self.csrfToken = csrfToken
    }
}

/// SPEC 8's role table as decisions. Pure: no I/O, tested with tables of cases.
///
/// - Manager and Admin: every action on every flow.
/// - Power Developer: create; read, edit, delete, run and deploy flows they own.
/// - Developer: as Power Developer without deploy.
/// - Deployer: read, run and deploy flows carrying one of the user's tags.
/// - Reader: read flows carrying one of the user's tags.
/// - Users and roles are the Manager's alone.
public enum AccessPolicy {
    /// Whether `user` may create a new flow.
    public static func mayCreateFlow(_ user: UserRecord) -> Bool {
        switch user.role {
        case .manager, .admin, .powerDeveloper, .developer: return true
        case .deployer, .reader: return false
        }
    }

    /// Whether `user` may do `action` on an existing flow with this owner and these tags.
    public static func allows(_ user: UserRecord, _ action: FlowAction, owner: String?, tags: [String]) -> Bool {
        if action == .create { return mayCreateFlow(user) }
        let owns = owner != nil && owner == user.id
        let tagged = !Set(tags).isDisjoint(with: user.tags)
        switch user.role {
        case .manager, .admin:
            return true
        case .powerDeveloper:
            return owns
        case .developer:
            return owns && action != .deploy
        case .deployer:
            return tagged && [.read, .run, .deploy].contains(action)
        case .reader:
            return tagged && action == .read
        }
    }

    /// Whether `user` may do `action` on `flow`.
    public static func allows(_ user: UserRecord, _ action: FlowAction, flow: FlowRecord) -> Bool {
        allows(user, action, owner: flow.owner, tags: flow.tags)
    }

    /// Whether `user` may manage users and their roles.
    public static func managesUsers(_ user: UserRecord) -> Bool { user.role == .manager }

    /// Whether `user` may see runs whose flow no longer exists (or never did: file runs).
    public static func seesOrphanRuns(_ user: UserRecord) -> Bool { user.role == .manager || user.role == .admin }
}
