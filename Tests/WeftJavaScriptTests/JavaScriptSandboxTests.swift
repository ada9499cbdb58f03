import Foundation
import Testing
import WeftJavaScript
import WeftModel

/// Runs `code` in `all` mode over `items` and returns its output and console lines.
func runAll(_ pool: JavaScriptSandboxPool, _ code: String, items: [JSON] = [], limits: JavaScriptLimits = JavaScriptLimits(),
            environment: JavaScriptSession.Environment = .init()) async throws -> (items: [JSON], logs: [String]) {
    try await pool.withSession(limits: limits) { session in
        try session.beginCustom(code: code, mode: .all, environment: environment)
        var page: [UInt8] = []
        JSON.array(items).write(to: &page)
        try session.addInput(page: page)
        var output: [JSON] = []
        try session.runAll { output += $0 }
        return (output, session.logs)
    }
}

/// Runs `code` in `each` mode over `items`, in pages of `pageSize`.
func runEach(_ pool: JavaScriptSandboxPool, _ code: String, items: [JSON], pageSize: Int = 2) async throws -> [JSON] {
    try await pool.withSession { session in
        try session.beginCustom(code: code, mode: .each, environment: .init())
        var output: [JSON] = []
        var start = 0
        while start < items.count {
            let end = min(start + pageSize, items.count)
            var page: [UInt8] = []
            JSON.array(Array(items[start..<end])).write(to: &page)
            output += try session.runEach(start: start, page: page)
            start = end
        }
        return output
    }
}

/// The error `body` throws, which must be a `JavaScriptError`.
func javaScriptError(_ body: () async throws -> Void) async -> JavaScriptError? {
    do {
        try await body()
        return nil
    } catch let error as JavaScriptError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("JavaScript sandbox", .serialized)
struct JavaScriptSandboxTests {
    let pool = JavaScriptSandboxPool(size: 1)

    @Test("all mode: a transform and a filter over items")
    func transform() async throws {
        let items: [JSON] = [["name": "a", "size": 1], ["name": "b", "size": 5], ["name": "c", "size": 9]]
        let result = try await runAll(pool, """
            const big = items.filter(i => i.size > 2);
            return big.map(i => ({ ...i, label: `${i.name}:${i.size * 2}` }));
            """, items: items)
        #expect(result.items == [["name": "b", "size": 5, "label": "b:10"], ["name": "c", "size": 9, "label": "c:18"]])
    }

    @Test("each mode: a value, an array or nothing per item, with its index")
    func each() async throws {
        let output = try await runEach(pool, """
            if (item === 2) return;
            if (item === 3) return [item, item];
            return { item, index };
            """, items: [1, 2, 3, 4, 5])
        #expect(output == [["item": 1, "index": 0], 3, 3, ["item": 4, "index": 3], ["item": 5, "index": 4]])
    }

    @Test("a syntax error reports its message, line and column in the user's code")
    func syntaxError() async {
        let error = await javaScriptError {
            _ = try await runAll(pool, "const a = 1;\nconst b = (a + ;\nreturn [];")
        }
        #expect(error?.kind == .syntax)
        #expect(error?.message.hasPrefix("SyntaxError") == true)
        #expect(error?.line == 2)
        #expect(error?.column == 16)
        let next = try? await runAll(pool, "return [1];")
        #expect(next?.items == [1])
    }

    @Test("a runtime exception reports its message, line and column")
    func runtimeException() async throws {
        let error = await javaScriptError {
            _ = try await runAll(pool, "const a = {};\n\nreturn a.b.c;", items: [1])
        }
        #expect(error?.kind == .exception)
        #expect(error?.message.hasPrefix("TypeError") == true)
        #expect(error?.line == 3)
        #expect(error?.column != nil)
        let thrown = await javaScriptError {
            _ = try await runAll(pool, "throw new Error('boom');")
        }
        #expect(thrown?.message == "Error: boom")
        #expect(thrown?.line == 1)
        #expect(try await runAll(pool, "return items;", items: [7]).items == [7])
    }

    @Test("while(true) stops within the CPU limit plus 100 ms; the next step runs normally")
    func infiniteLoop() async throws {
        let limit = 0.3
        let started = Date()
        let error = await javaScriptError {
            _ = try await runAll(pool, "while (true) {}", limits: JavaScriptLimits(cpuSeconds: limit))
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(error?.kind == .cpu)
        #expect(error?.message.contains("CPU time limit of 0.3 s") == true)
        #expect((error?.cpuSeconds ?? 99) < limit + 0.1, "stopped after \(error?.cpuSeconds ?? 0) s of CPU")
        #expect(elapsed < limit + 10, "stopped after \(elapsed) s of wall-clock time (the CPU bound above is the contract; wall time includes a loaded machine)")
        #expect(try await runAll(pool, "return [42];").items == [42])
    }

    @Test("allocating 2 GB is stopped by the memory limit; the next step runs normally")
    func memoryLimit() async throws {
        let error = await javaScriptError {
            _ = try await runAll(pool, "const a = new Uint8Array(2 * 1024 * 1024 * 1024); a.fill(1); return [a.length];",
                                 limits: JavaScriptLimits(memoryBytes: 256 << 20))
        }
        #expect(error?.kind == .memory)
        #expect(error?.message.contains("memory limit of 256 MB") == true)
        let arrays = await javaScriptError {
            _ = try await runAll(pool, "const keep = []; while (true) keep.push(new Array(100000).fill(keep.length));",
                                 limits: JavaScriptLimits(memoryBytes: 256 << 20))
        }
        #expect(arrays?.kind == .memory)
        #expect(try await runAll(pool, "return [1, 2];").items == [1, 2])
    }

    @Test("require, process, fetch, XMLHttpRequest and import() are unavailable")
    func noHostAccess() async throws {
        let result = try await runAll(pool, """
            return [typeof require, typeof process, typeof fetch, typeof XMLHttpRequest, typeof setTimeout,
                    typeof Deno, typeof Bun, typeof readFile, typeof load];
            """)
        #expect(result.items == Array(repeating: "undefined", count: 9))
        for code in ["require('fs')", "process.env", "fetch('http://127.0.0.1')", "new XMLHttpRequest()"] {
            let error = await javaScriptError { _ = try await runAll(pool, "return [\(code)];") }
            #expect(error?.kind == .exception, "\(code)")
            #expect(try await runAll(pool, "return [1];").items == [1])
        }
        let imported = await javaScriptError { _ = try await runAll(pool, "const fs = await import('fs'); return [fs];") }
        #expect(imported != nil)
        #expect(imported?.kind != .crashed)
        #expect(try await runAll(pool, "return [1];").items == [1])
    }

    @Test("steps do not see each other's globals")
    func freshContext() async throws {
        _ = try await runAll(pool, "globalThis.leak = 'secret'; return [];")
        #expect(try await runAll(pool, "return [typeof leak];").items == ["undefined"])
    }

    @Test("console lines are captured with their level")
    func console() async throws {
        let result = try await runAll(pool, """
            console.log('count', items.length, { a: 1 });
            console.warn('careful');
            console.error(new TypeError('bad'));
            return items;
            """, items: [1, 2])
        #expect(result.logs == ["[log] count 2 {\"a\":1}", "[warn] careful", "[error] TypeError: bad"])
    }

    @Test("console output past the limit is dropped with a note")
    func consoleLimit() async throws {
        let result = try await runAll(pool, "for (let i = 0; i < 1000; i++) console.log('x'.repeat(100)); return [];",
                                      limits: JavaScriptLimits(logBytes: 1_000))
        #expect(result.logs.count == 10)
        #expect(result.logs.last == "[warn] console output past 1000 bytes was dropped")
    }

    @Test("output past the limit fails the step")
    func outputLimit() async {
        let error = await javaScriptError {
            _ = try await runAll(pool, "return Array.from({ length: 10000 }, (_, i) => 'item ' + i);",
                                 limits: JavaScriptLimits(outputBytes: 10_000))
        }
        #expect(error?.kind == .output)
        #expect(error?.message.contains("output exceeded the limit") == true)
    }

    @Test("async functions and promises are awaited")
    func asyncCode() async throws {
        let result = try await runAll(pool, """
            const double = async (x) => x * 2;
            const values = await Promise.all(items.map(double));
            return values;
            """, items: [1, 2, 3])
        #expect(result.items == [2, 4, 6])
        let rejected = await javaScriptError { _ = try await runAll(pool, "await Promise.resolve(); throw new RangeError('late');") }
        #expect(rejected?.message == "RangeError: late")
        let never = await javaScriptError { _ = try await runAll(pool, "await new Promise(() => {}); return [];") }
        #expect(never?.message.contains("never settled") == true)
    }

    @Test("ES2020+ syntax")
    func modernSyntax() async throws {
        let result = try await runAll(pool, """
            const o = { a: { b: null } };
            let x = null; x ??= 5;
            return [o.a?.b?.c ?? 'none', x, [1, 2, 3].at(-1), 2n ** 64n > 0n, Object.fromEntries([['k', 1]])];
            """)
        #expect(result.items == ["none", 5, 3, true, ["k": 1]])
    }

    @Test("weft helpers: jsonpath, cidr, date, csv, xmlToJson, vars, execution")
    func helpers() async throws {
        let result = try await runAll(pool, """
            return [
              weft.jsonpath({ a: [{ b: 1 }, { b: 2 }] }, '$.a[*].b'),
              weft.jsonpath({ State: { Code: 16 } }, 'State.Code'),
              weft.cidr.contains('10.0.0.0/8', '10.1.2.0/24'),
              weft.cidr.contains('10.0.0.0/8', '11.0.0.1'),
              weft.cidr.isPublic('0.0.0.0/0'),
              weft.cidr.isPublic('192.168.0.0/16'),
              weft.date.parse('2024-05-01T10:20:30Z').getTime(),
              weft.date.format(weft.date.addDays('2024-05-01', 30), 'YYYY-MM-DD'),
              weft.date.format(1714558830),
              weft.csv.parse('a,b\\n1,"x, y"\\n2\\n'),
              weft.csv.stringify([{ a: 1, b: 'x,y' }, { a: 2 }]),
              weft.xmlToJson('<r id="7"><i>1</i><i>2</i><e/><t>a &amp; b</t></r>'),
              weft.vars.region,
              weft.execution.id,
            ];
            """, environment: .init(variables: ["region": "eu-west-2"], execution: ["id": "exec-1"]))
        #expect(result.items == [
            [1, 2], [16], true, false, true, false, 1_714_558_830_000, "2024-05-31", "2024-05-01T10:20:30.000Z",
            [["a": "1", "b": "x, y"], ["a": "2", "b": ""]],
            "a,b\n1,\"x,y\"\n2,\n",
            ["r": ["@id": "7", "i": ["1", "2"], "e": nil, "t": "a & b"]],
            "eu-west-2", "exec-1",
        ])
        let bad = await javaScriptError { _ = try await runAll(pool, "return [weft.cidr.contains('nope', '10.0.0.0/8')];") }
        #expect(bad?.message.contains("\"nope\" is not a CIDR") == true)
    }

    @Test("function conditions are evaluated in batches")
    func conditions() async throws {
        let verdicts = try await pool.withSession { session in
            try session.beginConditions([
                (id: "c1", code: "return item.size > ctx.vars.min;"),
                (id: "c2", code: "if (item.size === 5) throw new Error('five'); return item.size;"),
            ], environment: .init(variables: ["min": 2]), now: "2024-05-01T00:00:00.000Z")
            var page: [UInt8] = []
            JSON.array([["size": 1], ["size": 5], ["size": 9]]).write(to: &page)
            return try session.evaluateConditions(start: 0, page: page)
        }
        #expect(verdicts["c1"]?.map(\.outcome) == [.notHeld, .held, .held])
        #expect(verdicts["c2"]?.map(\.outcome) == [.unevaluable, .unevaluable, .unevaluable])
        #expect(verdicts["c2"]?[1].detail == "function threw Error: five")
        #expect(verdicts["c2"]?[0].detail == "function returned 1, not a boolean")
    }

    @Test("a condition that does not parse names its line")
    func conditionSyntax() async {
        let error = await javaScriptError {
            _ = try await pool.withSession { session in
                try session.beginConditions([(id: "c1", code: "return item.a ==;")], environment: .init(), now: "")
            }
        }
        #expect(error?.kind == .syntax)
        #expect(error?.line == 1)
    }

    @Test("a helper killed while idle is replaced")
    func crashedHelper() async throws {
        let error = await javaScriptError {
            _ = try await pool.withSession { session in
                try session.beginCustom(code: "return items;", mode: .all, environment: .init())
                kill(session.processIdentifier, SIGKILL)
                try session.runAll { _ in }
            }
        }
        #expect(error?.kind == .crashed)
        #expect(error?.message.contains("ended unexpectedly") == true)
        #expect(try await runAll(pool, "return [3];").items == [3])
    }
}
