import Foundation
import Testing

/// `--db`, `--user` and `--lang` work before the subcommand as well as after it.
@Suite struct GlobalOptionsTests {
  @Test func globalOptionsBeforeTheSubcommand() throws {
    let s = Scratch()
    defer { s.remove() }
    let env = ["TZ": "UTC", "USER": "anna", "LANG": "ru_RU.UTF-8"]
    let add = try run(
      crmBinary,
      [
        "--db", s.db, "--user", "boris", "client", "add", "--name", "Ромашка", "--legal-form",
        "ООО",
      ],
      env: env)
    #expect(add.status == 0, "\(add.err)")
    let id = add.out.trimmingCharacters(in: .whitespacesAndNewlines)
    let list = try run(crmBinary, ["--db=\(s.db)", "client", "list", "--json"], env: env)
    #expect(list.status == 0, "\(list.err)")
    let rows = try #require(try json(list.out) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect("\(rows.first?["id"] ?? "")" == id)
    // The same options after the subcommand still work, and give the same answer.
    let after = try run(crmBinary, ["client", "list", "--json", "--db", s.db], env: env)
    #expect(after.status == 0, "\(after.err)")
    #expect(after.out == list.out)
    // The owner is the user named before the subcommand.
    let show = try run(crmBinary, ["--db", s.db, "client", "show", id, "--json"], env: env)
    #expect(show.status == 0, "\(show.err)")
    let client = try #require(try json(show.out) as? [String: Any])
    #expect(client["owner"] as? String == "boris")
  }

  @Test func aWrongLanguageBeforeTheSubcommandIsAUserError() throws {
    let s = Scratch()
    defer { s.remove() }
    let r = try run(
      crmBinary, ["--db", s.db, "--lang", "xx", "client", "list"], env: ["USER": "anna"])
    #expect(r.status == 1)
    #expect(r.err.contains("--lang must be ru or en, not xx"), "\(r.err)")
    let short = try run(
      crmBinary, ["--db", s.db, "--lang", "xx", "remind", "--short"], env: ["USER": "anna"])
    #expect(short.status == 1)
  }

  @Test func remindShortTakesGlobalOptionsFirst() throws {
    let s = Scratch()
    defer { s.remove() }
    let add = try run(
      crmBinary, ["--db", s.db, "--user", "anna", "client", "add", "--name", "Ромашка"],
      env: ["USER": "anna"])
    #expect(add.status == 0, "\(add.err)")
    let r = try run(
      crmBinary, ["--db", s.db, "--user", "anna", "--lang", "en", "remind", "--short"],
      env: ["USER": "anna"])
    #expect(r.status == 0, "\(r.err)")
  }
}
