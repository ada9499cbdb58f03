import Foundation
import Testing
import WeftEngine
import WeftModel
import WeftServer
import WeftTesting

@Suite("Authentication")
struct AuthTests {
    @Test(arguments: StoreBackend.allCases)
    func loginSetsAStrictHttpOnlyCookieAndWritesNeedTheCSRFHeader(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { _, client in
            let reply = try await client.call(
                .post, "/api/v1/login", json: ["username": "admin", "password": .string(ServerHarness.adminPassword)])
            #expect(reply.status == 200)
            #expect(reply.json["user"]?["role"] == "manager")
            #expect(reply.json["user"]?["passwordHash"] == nil)
            let setCookie = try #require(reply.headers[.setCookie])
            #expect(setCookie.hasPrefix("weft_session="))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))

            let (cookie, csrf) = try await client.login("admin", ServerHarness.adminPassword)
            #expect(try await client.call(.get, "/api/v1/me", cookie: cookie).json["user"]?["name"] == "admin")

            let withoutCSRF = try await client.call(.post, "/api/v1/flows", cookie: cookie, json: sampleFlow())
            #expect(withoutCSRF.status == 403 && withoutCSRF.errorCode == "csrf_failed")
            let wrongCSRF = try await client.call(.post, "/api/v1/flows", cookie: cookie, csrf: "nope", json: sampleFlow())
            #expect(wrongCSRF.status == 403 && wrongCSRF.errorCode == "csrf_failed")
            #expect(try await client.call(.get, "/api/v1/flows", cookie: cookie).json["flows"]?.arrayValue?.count == 0)
            let created = try await client.call(.post, "/api/v1/flows", cookie: cookie, csrf: csrf, json: sampleFlow())
            #expect(created.status == 201)

            let logout = try await client.call(.post, "/api/v1/logout", cookie: cookie)
            #expect(logout.status == 204)
            #expect(try await client.call(.get, "/api/v1/me", cookie: cookie).status == 401)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func wrongPasswordsAreRefusedAndThrottled(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend, maxLoginFailures: 3) { _, client in
            for _ in 0..<3 {
                let reply = try await client.call(.post, "/api/v1/login", json: ["username": "admin", "password": "wrong-one"])
                #expect(reply.status == 401 && reply.errorCode == "invalid_credentials")
            }
            let throttled = try await client.call(
                .post, "/api/v1/login", json: ["username": "admin", "password": .string(ServerHarness.adminPassword)])
            #expect(throttled.status == 429 && throttled.errorCode == "too_many_requests")
            #expect(throttled.headers[.retryAfter] != nil)
            let unknown = try await client.call(.post, "/api/v1/login", json: ["username": "nobody", "password": "whatever1"])
            #expect(unknown.status == 401 && unknown.errorCode == "invalid_credentials")
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func apiTokensAuthenticateAndAreStoredHashed(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let (cookie, csrf) = try await client.login("admin", ServerHarness.adminPassword)
            let created = try await client.call(.post, "/api/v1/tokens", cookie: cookie, csrf: csrf, json: ["name": "ci"])
            #expect(created.status == 201)
            let secret = try #require(created.json["secret"]?.stringValue)
            let id = try #require(created.json["token"]?["id"]?.stringValue)

            let admin = try await harness.store.user(named: "admin")
            let stored = try await harness.store.tokens(userId: admin.id)
            #expect(stored.map(\.id) == [id])
            #expect(stored[0].tokenHash == Credentials.hash(secret) && stored[0].tokenHash != secret)

            #expect(try await client.call(.get, "/api/v1/me", token: secret).json["user"]?["name"] == "admin")
            // A bearer token needs no CSRF header.
            #expect(try await client.call(.post, "/api/v1/flows", token: secret, json: sampleFlow()).status == 201)
            #expect(try await client.call(.get, "/api/v1/me", token: "wft_bogus").status == 401)
            #expect(try await client.call(.get, "/api/v1/me").status == 401)
            #expect(try await client.call(.get, "/api/v1/tokens", token: secret).json["tokens"]?.arrayValue?.count == 1)
            #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", token: secret).status == 204)
            #expect(try await client.call(.get, "/api/v1/me", token: secret).status == 401)
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func managersChangeRolesAndDisableUsers(_ backend: StoreBackend) async throws {
        try await ServerHarness.run(backend: backend) { harness, client in
            let manager = try await harness.user("boss", .manager).1
            let (user, token) = try await harness.user("ann", .reader, tags: ["team-a"])
            #expect(try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow()).status == 403)

            let promoted = try await client.call(
                .patch, "/api/v1/users/\(user.id)", token: manager, json: ["role": "developer", "tags": []])
            #expect(promoted.status == 200 && promoted.json["user"]?["role"] == "developer")
            #expect(try await client.call(.post, "/api/v1/flows", token: token, json: sampleFlow()).status == 201)

            let badRole = try await client.call(.patch, "/api/v1/users/\(user.id)", token: manager, json: ["role": "king"])
            #expect(badRole.status == 400 && badRole.errorCode == "invalid_request")
            let selfDemotion = try await client.call(.patch, "/api/v1/users/usr_boss", token: manager, json: ["role": "reader"])
            #expect(selfDemotion.status == 409)
            #expect(try await harness.store.user(id: "usr_boss").role == .manager)

            #expect(
                try await client.call(.patch, "/api/v1/users/\(user.id)", token: manager, json: ["disabled": true]).status == 200)
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == 401)

            let created = try await client.call(
                .post, "/api/v1/users", token: manager,
                json: ["name": "carol", "role": "deployer", "tags": ["prod"], "password": "carol-password"])
            #expect(created.status == 201 && created.json["user"]?["tags"] == ["prod"])
            #expect(try await client.login("carol", "carol-password").cookie.hasPrefix("weft_session="))
            let duplicate = try await client.call(
                .post, "/api/v1/users", token: manager, json: ["name": "carol", "role": "reader"])
            #expect(duplicate.status == 409 && duplicate.errorCode == "conflict")
        }
    }

    @Test(arguments: StoreBackend.allCases)

    func firstStartCreatesTheManagerAndAKeyFile(_ backend: StoreBackend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weft-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("secret.key").path
        let key = try ServerBootstrap.dataKey(path: path, environment: [:])
        #expect(key.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try ServerBootstrap.dataKey(path: path, environment: [:]) == key)

        try await ServerHarness.run(backend: backend) { harness, _ in
            let generated = try await ServerBootstrap.ensureAdmin(store: harness.store, environment: [:], bcryptCost: 4)
            #expect(generated == nil)
        }
    }
}
