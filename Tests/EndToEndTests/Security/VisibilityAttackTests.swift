import Foundation
import Testing

// Security issue #19, items 3 and 8, driven through the real `crm` binary: a manager under
// `visibility own` tries to undo, read and probe what belongs to others, and to make one
// command grow without bound.

/// anna (admin, the first user), boris and vera (managers), visibility own; anna's client
/// «Вектор» (1).
private func team(_ s: Scratch) throws {
  #expect(try addClient(s, "Вектор") == "1")
  _ = try ok(s, ["user", "add", "boris", "--role", "manager"])
  _ = try ok(s, ["user", "add", "vera", "--role", "manager"])
  _ = try ok(s, ["settings", "set", "visibility", "own"])
}

/// Runs crm as `login` (in English unless told).
private func crmAs(_ s: Scratch, _ login: String, _ args: [String], lang: String = "en") throws
  -> (status: Int32, out: String, err: String)
{
  try crm(s, args + ["--user", login], lang: lang)
}

/// Ids in a JSON array of objects.
private func ids(_ text: String) throws -> [Int] {
  try #require(try json(text) as? [[String: Any]]).compactMap { $0["id"] as? Int }
}

@Suite(.serialized) struct VisibilityAttackTests {
  @Test func aManagerCannotUndoAnAdminsImportOfAnotherManagersClients() throws {
    let s = Scratch()
    defer { s.remove() }
    try team(s)
    let file = s.dir + "/leads.csv"
    try "name;owner\nКлиент Веры;vera\nКлиент Бориса;boris\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    _ = try ok(s, ["import", "csv", file])
    let before = try sqlite(s, "SELECT id, name, owner_id, deleted_at FROM client ORDER BY id")
    #expect(before.contains("Клиент Веры"))
    let r = try crmAs(s, "boris", ["import", "undo", "1"])
    #expect(r.status != 0, "\(r.out)")
    #expect(r.err.contains("import") && r.err.contains("1"), "\(r.err)")
    // vera's client (and everything else) survived; the import is not marked undone.
    #expect(
      try sqlite(s, "SELECT id, name, owner_id, deleted_at FROM client ORDER BY id") == before)
    #expect(try sqlite(s, "SELECT undone_at IS NULL FROM import_batch WHERE id = 1") == "1\n")
    // The admin still can.
    _ = try ok(s, ["import", "undo", "1"])
    #expect(try sqlite(s, "SELECT count(*) FROM client WHERE name LIKE 'Клиент%'") == "0\n")
  }

  @Test func aManagerReadsOnlyTheLogEntriesOfWhatTheyMaySee() throws {
    let s = Scratch()
    defer { s.remove() }
    try team(s)
    // anna imports vera's clients, merges two of them and exports an act of vera's.
    let file = s.dir + "/secret-leads.csv"
    try "name;owner;city\nЛютик;vera;Тверь\nЛютик;vera;Псков\n".write(
      toFile: file, atomically: true, encoding: .utf8)
    _ = try ok(s, ["import", "csv", file, "--on-duplicate", "create"])
    _ = try ok(s, ["merge", "2", "3"])
    _ = try ok(s, ["act", "add", "--client", "2", "--sum", "1000"])
    let out = s.dir + "/secret-acts.csv"
    _ = try ok(s, ["export", "acts", "--format", "csv", "--out", out])
    // The admin sees all three logs.
    #expect(try ids(try ok(s, ["import", "list", "--json"])) == [1])
    #expect(try ids(try ok(s, ["merge", "log", "--json"])) == [1])
    #expect(try ids(try ok(s, ["export", "log", "--json"])) == [1])
    // boris sees none of it, in JSON or text: no file names, no ids.
    for args in [["import", "list"], ["merge", "log"], ["export", "log"]] {
      let j = try crmAs(s, "boris", args + ["--json"])
      #expect(j.status == 0, "\(args): \(j.err)")
      #expect(try ids(j.out) == [], "\(args): \(j.out)")
      let t = try crmAs(s, "boris", args)
      #expect(t.status == 0, "\(args): \(t.err)")
      #expect(!t.out.contains("secret"), "\(args): \(t.out)")
      #expect(!t.out.contains("anna"), "\(args): \(t.out)")
    }
    // Nor can he undo the merge.
    let undo = try crmAs(s, "boris", ["merge", "undo", "1"])
    #expect(undo.status != 0)
    #expect(try sqlite(s, "SELECT undone_at IS NULL FROM merge_log") == "1\n")
    // His own import he sees.
    let mine = s.dir + "/mine.csv"
    try "name\nСвой\n".write(toFile: mine, atomically: true, encoding: .utf8)
    #expect(try crmAs(s, "boris", ["import", "csv", mine]).status == 0)
    #expect(try ids(try crmAs(s, "boris", ["import", "list", "--json"]).out) == [2])
  }

  @Test func abcAndXyzTotalsAreThoseOfTheManagersClients() throws {
    let s = Scratch()
    defer { s.remove() }
    try team(s)
    let borisClient = try ok(s, ["client", "add", "--name", "Ромашка", "--user", "boris"])
    let today = DateFormatter()
    today.dateFormat = "dd.MM.yyyy"
    today.timeZone = TimeZone(identifier: "UTC")
    let day = today.string(from: Date().addingTimeInterval(-86400))
    _ = try ok(s, ["payment", "add", "--client", "1", "--sum", "900000", "--date", day])
    _ = try ok(s, ["payment", "add", "--client", borisClient, "--sum", "100000", "--date", day])
    _ = try ok(s, ["classify"])
    for column in ["abc", "xyz"] {
      let r = try crmAs(s, "boris", ["report", column, "--json"])
      #expect(r.status == 0, "\(r.err)")
      let report = try #require(try json(r.out) as? [String: Any])
      let snapshot = try #require(report["snapshot"] as? [String: Any])
      #expect(snapshot["clients"] as? Int == 1, "\(snapshot)")
      #expect(snapshot["revenue"] as? String == "100000.00", "\(snapshot)")
      let text = try crmAs(s, "boris", ["report", column])
      #expect(!text.out.contains("1 000 000") && !text.out.contains("1,000,000"), "\(text.out)")
      #expect(text.out.contains("1 clients"), "\(text.out)")
    }
  }

  @Test func aTakenNumberOfAnotherManagersInvoiceIsNotNamed() throws {
    let s = Scratch()
    defer { s.remove() }
    try team(s)
    let veras = try ok(s, ["client", "add", "--name", "Лютик", "--user", "vera"])
    let boriss = try ok(s, ["client", "add", "--name", "Ромашка", "--user", "boris"])
    _ = try ok(s, ["invoice", "add", "--client", veras, "--sum", "100", "--number", "77"])
    let r = try crmAs(
      s, "boris", ["invoice", "add", "--client", boriss, "--sum", "100", "--number", "77"])
    #expect(r.status != 0)
    #expect(r.err.contains("already exists"), "\(r.err)")
    #expect(!r.err.contains("id"), "\(r.err)")
    let ru = try crmAs(
      s, "boris", ["invoice", "add", "--client", boriss, "--sum", "100", "--number", "77"],
      lang: "ru")
    #expect(ru.err.contains("уже есть"), "\(ru.err)")
    #expect(!ru.err.contains("id"), "\(ru.err)")
    #expect(try sqlite(s, "SELECT count(*) FROM invoice") == "1\n")
  }

  @Test func aCenturyOfDailyActivityIsRefusedQuicklyUnderAMemoryCap() throws {
    let s = Scratch()
    defer { s.remove() }
    try team(s)
    let prlimit = try #require(which("prlimit"), "prlimit (util-linux) is needed")
    let timeout = try #require(which("timeout"), "timeout (coreutils) is needed")
    for lang in ["en", "ru"] {
      let start = Date()
      let r = try run(
        timeout,
        [
          "60", prlimit, "--as=2000000000", crmBinary, "report", "activity", "--from",
          "01.01.1900", "--to", "31.12.2999", "--by", "day", "--json", "--db", s.db, "--lang",
          lang, "--user", "boris",
        ], env: ["TZ": "UTC", "USER": "anna", "LANG": "ru_RU.UTF-8"])
      let seconds = Date().timeIntervalSince(start)
      #expect(r.status == 1, "status \(r.status): \(r.err)")
      #expect(seconds < 20, "\(seconds) s")
      #expect(r.err.contains("1000"), "\(r.err)")
      #expect(r.err.contains(lang == "en" ? "at most 1000 columns" : "не больше 1000"), "\(r.err)")
      #expect(r.out.isEmpty)
    }
    // A year by day is within the limit.
    let year = try crmAs(
      s, "boris",
      ["report", "activity", "--from", "01.01.2026", "--to", "31.12.2026", "--by", "day", "--json"])
    #expect(year.status == 0, "\(year.err)")
  }
}
