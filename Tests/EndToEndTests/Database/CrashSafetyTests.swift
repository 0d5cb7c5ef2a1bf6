import Foundation
import Testing

/// The short form of the crash harness (`crm stress crash`): real writers killed with SIGKILL,
/// the database checked after each kill. The long form is the same command with its defaults
/// (200 kills); docs/reliability.md has its figures.
@Suite(.serialized) struct CrashSafetyTests {
  @Test func writersKilledAtRandomLeaveASoundDatabase() throws {
    let s = Scratch()
    defer { s.remove() }
    let r = try run(
      crmBinary,
      [
        "stress", "crash", "--kills", "8", "--clients", "300", "--import-rows", "400",
        "--seed", "4", "--folder", s.dir + "/crash", "--json",
      ])
    #expect(r.status == 0, "\(r.out)\n\(r.err)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    #expect(report["kills"] as? Int == 8)
    #expect((report["problems"] as? [String]) == [])
    let operations = try #require(report["operations"] as? [String: [String: Any]])
    // Every kind of writer ran, and the checks ran after every run.
    #expect(Set(operations.keys).isSuperset(of: ["import", "edit", "merge", "handover", "bulk"]))
    #expect(report["checks"] as? Int == report["runs"] as? Int)
    let killed = operations.values.compactMap { $0["killed"] as? Int }.reduce(0, +)
    #expect(killed == 8)
  }

  @Test func deepCheckFindsAStaleSearchIndexRow() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    let clean = try crm(s, ["check", "--deep"], lang: "en")
    #expect(clean.status == 0, "\(clean.err)")
    #expect(clean.out.contains("integrity: ok"))
    _ = try sqlite(s, "UPDATE client_fts SET name = 'x'")
    let stale = try crm(s, ["check", "--deep"], lang: "en")
    #expect(stale.status == 2)
    #expect(stale.out.contains("differs from the tables in name"))
    // Without --deep only counts are compared: the stale text goes unnoticed.
    #expect(try crm(s, ["check"], lang: "en").status == 0)
  }
}
