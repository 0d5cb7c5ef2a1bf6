import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What crm prints: never a raw control from someone else's text, never a silent failure.
@Suite(.serialized) struct OutputAttackTests {
  @Test func aFailedWriteToStandardOutputExitsOne() throws {
    let s = Scratch()
    defer { s.remove() }
    for i in 0..<30 { _ = try addClient(s, "Клиент \(i)") }
    let r = try run(
      crmBinary, ["--db", s.db, "--user", "anna", "--lang", "en", "client", "list"],
      stdout: "/dev/full")
    #expect(r.status == 1, "exit \(r.status)")
    #expect(r.err.contains("standard output"), "\(r.err)")
    let j = try run(
      crmBinary, ["--db", s.db, "--user", "anna", "client", "list", "--json"], stdout: "/dev/full")
    #expect(j.status == 1)
  }

  @Test func escapesAndBidiControlsFromDataAreNeutralised() throws {
    let s = Scratch()
    defer { s.remove() }
    // A bank statement whose payer name carries an escape sequence.
    var text = try String(
      contentsOfFile: sampleStatement("bank-statement-utf8.txt"), encoding: .utf8)
    text = text.replacingOccurrences(
      of: "Плательщик1=ООО \"Вектор\"",
      with: "Плательщик1=ООО \"Вектор\u{1B}]0;pwned\u{07}\u{1B}[2J\"")
    let file = s.dir + "/statement.txt"
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    let bank = try crm(s, ["import", "bank", file])
    #expect(bank.status == 0, "\(bank.err)")
    #expect(!bank.out.contains("\u{1B}") && !bank.err.contains("\u{1B}"), "\(bank.out)")
    #expect(bank.out.contains("Вектор"))
    // A right-to-left override in a name: stored as typed, shown neutralised.
    let name = "Ромашка\u{202E}акшамоР"
    #expect(try crm(s, ["client", "add", "--name", name]).status == 0)
    let list = try crm(s, ["client", "list"])
    #expect(!list.out.unicodeScalars.contains { $0.value == 0x202E }, "\(list.out)")
    #expect(list.out.contains("Ромашка"))
    let json = try crm(s, ["client", "list", "--json"])
    #expect(!json.out.unicodeScalars.contains { $0.value == 0x202E })
    #expect(json.out.contains("\\u202e") || json.out.contains("\\u202E"), "\(json.out)")
    #expect(try sqlite(s, "SELECT count(*) FROM client WHERE instr(name, char(8238)) > 0") == "1\n")
  }
}

/// Read-only use as docs/team.md describes it.
@Suite(.serialized) struct ReadOnlyUseTests {
  @Test func aDatabaseInAFolderOneCannotWriteStillReads() throws {
    guard runningAsRoot else {
      print("skipped: a second OS account needs root")
      return
    }
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    chmod(s.dir, 0o755)
    chmod(s.db, 0o644)
    let acct = try OSAccount()
    defer { acct.remove() }
    let r = try acct.crm(["--db", s.db, "--lang", "en", "client", "list"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("Ромашка"), "\(r.out)")
  }

  @Test func aReadOnlyMountOfAWALDatabaseReads() throws {
    guard runningAsRoot, let mount = systemTool("mount") else { return }
    let s = Scratch()
    defer { s.remove() }
    let data = s.dir + "/data"
    let ro = s.dir + "/ro"
    mkdir(data, 0o700)
    mkdir(ro, 0o700)
    let db = data + "/crm.sqlite"
    let add = try run(
      crmBinary, ["--db", db, "--user", "anna", "client", "add", "--name", "Ромашка"])
    try #require(add.status == 0, "\(add.err)")
    let bind = try run(mount, ["--bind", "-o", "ro", data, ro])
    guard bind.status == 0 else {
      print("skipped: mount --bind -o ro: \(bind.err)")
      return
    }
    defer { _ = try? run(systemTool("umount") ?? "/bin/umount", [ro]) }
    let r = try run(crmBinary, ["--db", ro + "/crm.sqlite", "--user", "anna", "client", "list"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("Ромашка"))
  }
}
