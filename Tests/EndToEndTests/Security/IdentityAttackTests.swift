import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Who a command acts as, and which commands it runs: the OS account decides, not `$USER`,
/// `--user` or a value someone wrote into the shared database.
@Suite(.serialized) struct IdentityAttackTests {
  /// A shared database made by root acting as the admin «boss», with the OS account `acct` as
  /// a manager, writable by everyone (the file's permissions are not what is tested here).
  func sharedDatabase(_ s: Scratch, _ acct: OSAccount) throws {
    chmod(s.dir, 0o777)
    let add = try run(
      crmBinary, ["--db", s.db, "--user", "boss", "user", "add", acct.name, "--role", "manager"])
    try #require(add.status == 0, "\(add.err)")
    chmod(s.db, 0o666)
    for suffix in ["-wal", "-shm"] { chmod(s.db + suffix, 0o666) }
  }

  @Test func aManagersOSAccountCannotActAsTheAdmin() throws {
    guard runningAsRoot else {
      print("skipped: creating a second OS account needs root")
      return
    }
    let s = Scratch()
    defer { s.remove() }
    let acct = try OSAccount()
    defer { acct.remove() }
    try sharedDatabase(s, acct)
    let db = ["--db", s.db, "--lang", "en"]

    // --user naming the admin: refused, nothing changes.
    let role = try acct.crm(db + ["--user", "boss", "user", "set-role", acct.name, "admin"])
    #expect(role.status == 1, "\(role.out)\(role.err)")
    #expect(role.err.contains("--user"), "\(role.err)")
    let vis = try acct.crm(db + ["--user", "boss", "settings", "set", "visibility", "all"])
    #expect(vis.status == 1)
    // $USER is not an identity either: this acts as the OS account, a manager.
    let spoof = try acct.crm(
      db + ["user", "set-role", acct.name, "admin"], env: ["USER": "boss", "LOGNAME": "boss"])
    #expect(spoof.status == 1)
    #expect(try sqlite(s, "SELECT role FROM app_user WHERE login = '\(acct.name)'") == "manager\n")
    // What the account does is its own.
    let add = try acct.crm(db + ["client", "add", "--name", "Ромашка"], env: ["USER": "boss"])
    #expect(add.status == 0, "\(add.err)")
    #expect(
      try sqlite(
        s,
        "SELECT u.login FROM client c JOIN app_user u ON u.id = c.owner_id WHERE c.name = 'Ромашка'"
      )
        == "\(acct.name)\n")
  }

  @Test func settingsAndSignUpAreAudited() throws {
    let s = Scratch()
    defer { s.remove() }
    #expect(try crm(s, ["--user", "boss", "settings", "set", "visibility", "own"]).status == 0)
    #expect(try crm(s, ["--user", "vera", "client", "list"]).status == 0)
    let log = try sqlite(
      s, "SELECT entity || ':' || action FROM audit ORDER BY id")
    #expect(log.contains("setting:set"), "\(log)")
    #expect(log.contains("user:insert"), "\(log)")
  }

  @Test func aNotifyCommandWrittenIntoTheDatabaseNeverRuns() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let marker = s.dir + "/pwned"
    let planted = s.dir + "/from-config"
    // A colleague with write access to the file, skipping crm's admin check.
    _ = try sqlite(
      s,
      "INSERT INTO setting(key, value) VALUES ('notify_command', 'touch \(marker)') "
        + "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    // The user's own config names a command: that one runs.
    let config = s.dir + "/config"
    try FileManager.default.createDirectory(
      atPath: config + "/termcrm", withIntermediateDirectories: true)
    try Data("notify_command = \"touch \(planted)\"\n".utf8).write(
      to: URL(fileURLWithPath: config + "/termcrm/config.toml"))
    let tmux = try TmuxSession(
      "env TZ=UTC LANG=ru_RU.UTF-8 LC_ALL= TERM=xterm-256color XDG_CONFIG_HOME=\(config) "
        + "\(crmBinary) pane --db \(s.db) --user anna", cols: 60, rows: 8)
    _ = try tmux.waitFor("Просрочено", seconds: 10)
    // A reminder comes due while the pane runs: the pane rings and runs the notify command.
    let plan = try crm(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at=+1m", "--remind", "1m"])
    #expect(plan.status == 0, "\(plan.err)")
    let deadline = Date().addingTimeInterval(5)
    while !FileManager.default.fileExists(atPath: planted) && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.1)
    }
    try tmux.keys("q")
    _ = try tmux.waitUntilGone()
    #expect(FileManager.default.fileExists(atPath: planted), "the config's command did not run")
    #expect(!FileManager.default.fileExists(atPath: marker), "the database's command ran")
    // And crm says so once.
    let get = try crm(s, ["settings", "get", "notify_command"], lang: "en")
    #expect(get.err.contains("config.toml") || get.out.contains("config.toml"), "\(get)")
  }
}
