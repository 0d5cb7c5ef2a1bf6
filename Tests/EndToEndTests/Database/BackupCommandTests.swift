import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.serialized) struct BackupCommandTests {
  @Test func backupThenRestoreWithYes() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    _ = try addClient(s, "Берёза")
    let file = s.dir + "/copy.sqlite"
    let out = try ok(s, ["backup", file], lang: "en")
    #expect(out.contains("Backup written to \(file)"))
    #expect(out.contains("every client"))
    #expect(!FileManager.default.fileExists(atPath: file + "-wal"))

    // An existing file needs --force.
    let again = try crm(s, ["backup", file], lang: "en")
    #expect(again.status == 1)
    #expect(again.err.contains("already exists"))
    #expect(try crm(s, ["backup", file, "--force"]).status == 0)

    _ = try addClient(s, "Клён")
    #expect(try sqlite(s, "SELECT count(*) FROM client").contains("3"))

    // Without a terminal, restore needs --yes and changes nothing.
    let asked = try crm(s, ["restore", file], lang: "en")
    #expect(asked.status == 1)
    #expect(asked.err.contains("--yes"))
    #expect(try sqlite(s, "SELECT count(*) FROM client").contains("3"))

    let done = try crm(s, ["restore", file, "--yes"], lang: "en")
    #expect(done.status == 0, "\(done.err)")
    #expect(done.out.contains("Restored"))
    #expect(done.out.contains(".bak"))
    #expect(try sqlite(s, "SELECT count(*) FROM client").contains("2"))
    let baks = try FileManager.default.contentsOfDirectory(atPath: s.dir).filter {
      $0.hasPrefix("crm.sqlite.") && $0.hasSuffix(".bak")
    }
    #expect(baks.count == 1)
    #expect(try crm(s, ["check"]).status == 0)
  }

  @Test func restoreRefusesBadFilesInBothLanguages() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)
    let text = s.dir + "/notes.txt"
    try Data("not a database".utf8).write(to: URL(fileURLWithPath: text))
    let en = try crm(s, ["restore", text, "--yes"], lang: "en")
    #expect(en.status == 1)
    #expect(en.err.contains(text))
    #expect(en.err.contains("not an SQLite database"))
    let ru = try crm(s, ["restore", text, "--yes"], lang: "ru")
    #expect(ru.status == 1)
    #expect(ru.err.contains("не база SQLite"))
    let baks = try FileManager.default.contentsOfDirectory(atPath: s.dir).filter {
      $0.hasSuffix(".bak")
    }
    #expect(baks.isEmpty)
  }

  @Test func managersMayBackUpButNotRestore() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)  // anna, the first user, is admin
    let file = s.dir + "/b.sqlite"
    let backup = try crm(s, ["backup", file, "--user", "boris"], lang: "en")
    #expect(backup.status == 0, "\(backup.err)")
    let restore = try crm(s, ["restore", file, "--yes", "--user", "boris"], lang: "en")
    #expect(restore.status == 1)
    #expect(restore.err.contains("admin"))
  }

  @Test func dailyBackupsRotate() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)
    let dir = s.dir + "/daily"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for name in ["crm-2020-01-01.sqlite", "crm-2020-01-02.sqlite", "keep.txt"] {
      try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
    }
    let out = try ok(s, ["backup", "--daily", dir, "--keep", "2"], lang: "en")
    #expect(out.contains("Removed old backup \(dir)/crm-2020-01-01.sqlite"))
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
    #expect(left.count == 3)
    #expect(left.contains("crm-2020-01-02.sqlite"))
    #expect(left.contains("keep.txt"))
    let both = try crm(s, ["backup", s.dir + "/x.sqlite", "--daily", dir], lang: "en")
    #expect(both.status == 1)
  }

  @Test func restoreAsksOnATerminal() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    let file = s.dir + "/copy.sqlite"
    _ = try ok(s, ["backup", file])
    _ = try addClient(s, "Берёза")
    func session() throws -> TmuxSession {
      try TmuxSession(
        "sh -c 'env LANG=en_US.UTF-8 TERM=xterm-256color \(crmBinary) restore \(file) --db \(s.db) "
          + "--user anna --lang en; echo EXIT=$?; sleep 30'")
    }
    let no = try session()
    let asked = try no.waitFor("[y/N]")
    #expect(asked.contains("Replace the content of"), "\(asked)")
    try no.type("n")
    try no.keys("Enter")
    let cancelled = try no.waitFor("EXIT=")
    #expect(cancelled.contains("cancelled") && cancelled.contains("EXIT=1"), "\(cancelled)")
    #expect(try sqlite(s, "SELECT count(*) FROM client").contains("2"))

    let yes = try session()
    _ = try yes.waitFor("[y/N]")
    try yes.type("y")
    try yes.keys("Enter")
    let done = try yes.waitFor("EXIT=")
    #expect(done.contains("Restored") && done.contains("EXIT=0"), "\(done)")
    #expect(try sqlite(s, "SELECT count(*) FROM client").contains("1"))
  }
}
