import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// anna (admin, the first user) adds Альфа, boris (manager) adds Бета and edits Альфа; the
/// audit rows get fixed times (2026-11-23 12:00 UTC + id minutes). Both sign up first and their
/// sign-ups (audited, see IdentityAttackTests) are cleared, so the ids below start at 1.
func auditHistory(_ s: Scratch) throws {
  #expect(try crm(s, ["client", "list"]).status == 0)
  #expect(try crm(s, ["client", "list", "--user", "boris"]).status == 0)
  _ = try sqlite(s, "DELETE FROM audit; DELETE FROM change_set;")
  #expect(try crm(s, ["client", "add", "--name", "Альфа"]).status == 0)
  #expect(try crm(s, ["client", "add", "--name", "Бета", "--user", "boris"]).status == 0)
  let r = try crm(s, ["client", "edit", "1", "--city", "Тверь", "--user", "boris"])
  #expect(r.status == 0, "\(r.err)")
  _ = try sqlite(
    s,
    """
    UPDATE audit SET at = 1795435200 + 60 * id;
    UPDATE change_set SET at = 1795435200 + 60 * id;
    """)
}

func modeAndGroup(_ path: String) -> (mode: Int, gid: gid_t)? {
  var st = stat()
  guard stat(path, &st) == 0 else { return nil }
  return (Int(st.st_mode & 0o7777), st.st_gid)
}

@Suite(.serialized) struct AuditCommandTests {
  @Test func textOneLinePerChangeNewestFirst() throws {
    let s = Scratch()
    defer { s.remove() }
    try auditHistory(s)
    #expect(
      try ok(s, ["audit"]) == """
        23.11.2026 12:07  boris  клиент «Альфа»  изменено: город
        23.11.2026 12:06  boris  клиент «Бета»  создано: тип, название, ответственный
        23.11.2026 12:03  anna  клиент «Альфа»  создано: тип, название, ответственный
        """)
    #expect(
      try ok(s, ["audit", "--limit", "1"], lang: "en") == """
        2026-11-23 12:07  boris  client «Альфа»  changed: city
        next page: --before 7
        """)
    #expect(
      try ok(s, ["audit", "--before", "7", "--by", "boris"])
        == "23.11.2026 12:06  boris  клиент «Бета»  создано: тип, название, ответственный")
    #expect(
      try ok(s, ["audit", "--client", "1", "--action", "update", "--entity", "клиент"])
        == "23.11.2026 12:07  boris  клиент «Альфа»  изменено: город")
    #expect(try ok(s, ["audit", "--from", "24.11.2026"]) == "Изменений не найдено.")
  }

  @Test func jsonOneObjectPerRow() throws {
    let s = Scratch()
    defer { s.remove() }
    try auditHistory(s)
    let rows = try jsonArray(s, ["audit", "--limit", "2"])
    #expect(rows.count == 2)
    let first = rows[0]
    #expect(first["id"] as? Int == 7)
    #expect(first["change_id"] as? Int == 3)
    #expect(first["at"] as? String == "2026-11-23T12:07:00Z")
    #expect(first["user"] as? String == "boris")
    #expect(first["client_id"] as? Int == 1)
    #expect(first["client"] as? String == "Альфа")
    #expect(first["entity"] as? String == "client")
    #expect(first["entity_id"] as? Int == 1)
    #expect(first["action"] as? String == "update")
    #expect(first["field"] as? String == "city")
    #expect(first["old"] is NSNull)
    #expect(first["new"] as? String == "Тверь")
    #expect(rows[1]["field"] as? String == "owner" && rows[1]["new"] as? String == "2")
    #expect(rows[1]["change_id"] as? Int == 2)
  }

  @Test func aManagerReadsOnlyTheirOwnChanges() throws {
    let s = Scratch()
    defer { s.remove() }
    try auditHistory(s)
    let own = try ok(s, ["audit", "--user", "boris"])
    #expect(own.hasPrefix("Только ваши изменения (менеджер)."))
    #expect(!own.contains("anna"))
    let r = try crm(s, ["audit", "--user", "boris", "--by", "anna"])
    #expect(r.status == 1)
    #expect(r.err.contains("менеджер видит только свои изменения"))
  }

  @Test func badInputExitsOneNamingTheOption() throws {
    let s = Scratch()
    defer { s.remove() }
    try auditHistory(s)
    let cases: [([String], String)] = [
      (["--by", "nobody"], "--by: нет пользователя «nobody»"),
      (["--entity", "thing"], "--entity: неизвестный вид «thing»"),
      (["--action", "explode"], "--action: неизвестное действие «explode»"),
      (["--from", "10.11.2026", "--to", "01.11.2026"], "--to: период заканчивается раньше"),
      (["--limit", "0"], "--limit: от 1 до 1000"),
      (["--limit", "1001"], "--limit: от 1 до 1000"),
      (["--before", "999"], "--before: нет записи журнала 999"),
      (["--from", "31.02.2026"], "--from"),
    ]
    for (args, message) in cases {
      let r = try crm(s, ["audit"] + args)
      #expect(r.status == 1, "\(args)")
      #expect(r.err.contains(message), "\(args): \(r.err)")
    }
  }

  @Test func initSharedGroupPreparesFolderAndFile() throws {
    let s = Scratch()
    defer { s.remove() }
    let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
    let gid = getgid()
    let dir = s.dir + "/team/crm"
    let db = dir + "/crm.sqlite"
    let r = try run(crmBinary, ["init", "--shared-group", group, "--db", db, "--lang", "en"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("folder \(dir): created"))
    #expect(r.out.contains("group \(group), mode 2770"))
    #expect(r.out.contains("database \(db): created, group \(group), mode 0660"))
    #expect(r.out.contains("umask 007"))
    #expect(modeAndGroup(dir)?.mode == 0o2770)
    #expect(modeAndGroup(dir)?.gid == gid)
    #expect(modeAndGroup(db)?.mode == 0o660)
    #expect(modeAndGroup(db)?.gid == gid)
    // The database works, and running init again migrates and keeps the modes.
    let again = try run(crmBinary, ["init", "--shared-group", group, "--db", db, "--lang", "en"])
    #expect(again.status == 0, "\(again.err)")
    #expect(again.out.contains("database \(db): migrated"))
    #expect(modeAndGroup(db)?.mode == 0o660)
  }

  @Test func initFixesAnEmptyFolderAndRefusesOthers() throws {
    let s = Scratch()
    defer { s.remove() }
    let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
    // An existing empty folder with other modes is fixed.
    let empty = s.dir + "/empty"
    mkdir(empty, 0o755)
    var r = try run(
      crmBinary, ["init", "--shared-group", group, "--db", empty + "/crm.sqlite", "--lang", "en"])
    #expect(r.status == 0, "\(r.err)")
    #expect(modeAndGroup(empty)?.mode == 0o2770)
    // A folder with other files is refused: its group and mode are not ours to change.
    let busy = s.dir + "/busy"
    mkdir(busy, 0o755)
    FileManager.default.createFile(atPath: busy + "/notes.txt", contents: Data("x".utf8))
    r = try run(
      crmBinary, ["init", "--shared-group", group, "--db", busy + "/crm.sqlite", "--lang", "en"])
    #expect(r.status == 1)
    #expect(r.err.contains("holds other files (notes.txt)"))
    #expect(modeAndGroup(busy)?.mode == 0o755)
    #expect(!FileManager.default.fileExists(atPath: busy + "/crm.sqlite"))
    // An unknown group.
    r = try run(
      crmBinary,
      [
        "init", "--shared-group", "no-such-group-xyz", "--db", s.dir + "/x/crm.sqlite", "--lang",
        "en",
      ])
    #expect(r.status == 1)
    #expect(r.err.contains("--shared-group: there is no group «no-such-group-xyz»"))
    #expect(!FileManager.default.fileExists(atPath: s.dir + "/x"))
    // A world-writable folder, with or without a group.
    let open = s.dir + "/open"
    mkdir(open, 0o777)
    chmod(open, 0o777)
    for extra in [[], ["--shared-group", group]] {
      r = try run(crmBinary, ["init", "--db", open + "/crm.sqlite", "--lang", "en"] + extra)
      #expect(r.status == 1)
      #expect(r.err.contains("is writable by everyone"))
    }
  }

  @Test func plainInitCreatesThePrivateDatabase() throws {
    let s = Scratch()
    defer { s.remove() }
    let db = s.dir + "/own/crm.sqlite"
    let r = try run(crmBinary, ["init", "--db", db, "--lang", "ru"])
    #expect(r.status == 0, "\(r.err)")
    // The one who prepares a new database signs in first and becomes its admin.
    #expect(r.out.hasPrefix("администратор: "))
    #expect(r.out.hasSuffix("\nБаза \(db): создана (права 0600).\n"))
    let roles = try run(try #require(which("sqlite3")), [db, "SELECT role FROM app_user"])
    #expect(roles.out == "admin\n")
    #expect(modeAndGroup(db)?.mode == 0o600)
    #expect(modeAndGroup(s.dir + "/own")?.mode == 0o700)
  }
}
