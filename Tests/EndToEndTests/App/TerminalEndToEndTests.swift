import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real binary in unusual terminals: no terminal, resize storms, a C locale, signals.
@Suite(.serialized) struct TerminalEndToEndTests {
  @Test func dumbOrMissingTermExitsTwoWithAMessageAndSubcommandsStillWork() throws {
    let s = Scratch()
    defer { s.remove() }
    let dumb = try run(
      crmBinary, ["--db", s.db, "--user", "anna", "--lang", "en"], env: ["TERM": "dumb"])
    #expect(dumb.status == 2)
    #expect(
      dumb.err.contains(
        "crm needs a full-screen terminal (TERM is dumb); use the subcommands, e.g. crm client list, or run in a terminal emulator"
      ))
    // Refused before anything is opened or created.
    #expect(!FileManager.default.fileExists(atPath: s.db))
    let unset = try run(
      "/usr/bin/env", ["-u", "TERM", crmBinary, "--db", s.db, "--user", "anna", "--lang", "ru"])
    #expect(unset.status == 2)
    #expect(unset.err.contains("полноэкранный терминал (TERM is not set)"))
    // A real TERM but standard input not a terminal (run() reads /dev/null).
    let piped = try run(
      crmBinary, ["open", "--db", s.db, "--user", "anna", "--lang", "en"],
      env: ["TERM": "xterm-256color"])
    #expect(piped.status == 2)
    #expect(piped.err.contains("standard input or output is not a terminal"))
    #expect(!piped.err.contains("\u{1B}"))
    // The command line does not need a full-screen terminal.
    let add = try run(
      crmBinary, ["client", "add", "--db", s.db, "--user", "anna", "--name", "Ромашка"],
      env: ["TERM": "dumb"])
    #expect(add.status == 0, "\(add.err)")
    let list = try run(crmBinary, ["client", "list", "--db", s.db], env: ["TERM": "dumb"])
    #expect(list.status == 0)
    #expect(list.out.contains("Ромашка"))
  }

  @Test func aTermNcursesDoesNotKnowExitsTwoWithoutGarbage() throws {
    let s = Scratch()
    defer { s.remove() }
    let tmux = try TmuxSession(
      "env TERM=no-such-terminal \(crmBinary) --db \(s.db) --user anna --lang en; echo RC=$?; sleep 30"
    )
    let screen = try tmux.waitFor("RC=")
    #expect(screen.contains("RC=2"))
    #expect(screen.contains("needs a full-screen terminal (TERM=no-such-terminal is not known"))
    #expect(!screen.contains("\u{1B}"))
  }

  @Test func resizeStormsDownToTwentyByTenAndBack() throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "60", "--seed", "4"])
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("клиентов: 60")
    for _ in 0..<3 {
      for (cols, rows) in [(20, 10), (120, 40), (40, 12), (1, 1), (81, 25), (20, 10), (80, 24)] {
        try tmux.resize(cols: cols, rows: rows)
      }
      try tmux.keys("Down")
    }
    try tmux.resize(cols: 20, rows: 10)
    let small = try tmux.waitFor("маленькое")
    #expect(small.contains("20×10"))
    #expect(try tmux.alive())
    try tmux.keys("2")
    try tmux.resize(cols: 80, rows: 24)
    let back = try tmux.waitFor("клиентов: 60")
    #expect(back.contains("1 Клиенты"))
    #expect(!back.contains("маленькое"))
    for line in back.split(separator: "\n") { #expect(line.count <= 80) }
    // Every tab draws after the storm.
    try tmux.keys("4")
    #expect(try tmux.waitFor("4 Воронка").contains("4 Воронка"))
    try tmux.keys("1")
    _ = try tmux.waitFor("клиентов: 60")
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
  }

  @Test func aCLocaleWarnsAndStaysUsable() throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "20", "--seed", "4"])
    let tmux = try TmuxSession(
      "env LANG=C LC_ALL=C TERM=xterm-256color \(crmBinary) --db \(s.db) --user anna --lang en")
    let screen = try tmux.waitFor("locale is not UTF-8")
    #expect(screen.contains("locale is not UTF-8: Cyrillic may not display; set LANG=ru_RU.UTF-8"))
    #expect(screen.contains("1 Clients"))
    try tmux.keys("/")
    try tmux.type("zzzz")
    #expect(try tmux.waitFor("Nothing found").contains(" 0 clients"))
    try tmux.keys("Escape")
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
  }

  @Test(arguments: [("TERM", 143), ("HUP", 129), ("INT", 130)])
  func signalsRestoreTheTerminalAndKeepTheDatabaseSound(signal: String, code: Int) throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "30", "--seed", "4"])
    let tmux = try TmuxSession("bash --norc --noprofile")
    try tmux.type(
      "PS1='ready$ '; clear; \(crmCommand(s.db)); echo EXIT=$?")
    try tmux.keys("Enter")
    _ = try tmux.waitFor("клиентов: 30")
    let shell = try run(
      tmux.tmux, ["-L", tmux.socket, "display-message", "-p", "-t", "t", "#{pane_pid}"]
    ).out.trimmingCharacters(in: .whitespacesAndNewlines)
    let pgrep = try #require(which("pgrep"))
    var pid = ""
    for _ in 0..<50 where pid.isEmpty {
      // The shell runs env, which becomes crm.
      pid = try run(pgrep, ["-P", shell]).out.split(separator: "\n").first.map(String.init) ?? ""
      if pid.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
    }
    #expect(!pid.isEmpty)
    try run("/bin/kill", ["-\(signal)", pid])
    let after = try tmux.waitFor("EXIT=")
    #expect(after.contains("EXIT=\(code)"))
    // Back on the shell's normal screen: the full-screen frame is gone.
    #expect(!after.contains("1 Клиенты"))
    #expect(!after.contains("клиентов: 30"))
    #expect(try tmux.alive())
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    #expect(try run(sqlite, [s.db, "PRAGMA integrity_check"]).out == "ok\n")
    #expect(try run(sqlite, [s.db, "SELECT count(*) FROM client"]).out == "30\n")
  }

  @Test func escapeSequencesAndPastesNeverReachTheScreenRaw() throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "30", "--seed", "4"])
    let add = try run(
      crmBinary, ["client", "add", "--db", s.db, "--user", "anna", "--name", "Ёлочка"])
    #expect(add.status == 0, "\(add.err)")
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("клиентов: 31")
    // A bracketed paste on the list is not taken as commands (its q would quit).
    try run(tmux.tmux, ["-L", tmux.socket, "set-buffer", "-b", "p", "q?2\nЁл"])
    try run(tmux.tmux, ["-L", tmux.socket, "paste-buffer", "-p", "-b", "p", "-t", "t"])
    Thread.sleep(forTimeInterval: 0.5)
    #expect(try tmux.alive())
    #expect(try tmux.screen().contains("1 Клиенты"))
    // Typed escape sequences (a colour code, a title change) are consumed whole.
    try tmux.keys("/")
    try tmux.type("Ёл\u{1B}[31mоч\u{1B}]0;pwned\u{07}ка")
    let found = try tmux.waitFor("клиентов: 1\n")
    #expect(found.contains("Ёлочка"))
    #expect(!found.contains("[31m"))
    #expect(!found.contains("pwned"))
    // A bracketed paste into the search box is text, line breaks and escapes removed.
    try tmux.keys("C-u")
    try run(tmux.tmux, ["-L", tmux.socket, "set-buffer", "-b", "p", "Ёло\u{1B}[1m\nчка"])
    try run(tmux.tmux, ["-L", tmux.socket, "paste-buffer", "-p", "-b", "p", "-t", "t"])
    let pasted = try tmux.waitFor("Ёло чка")
    #expect(pasted.contains("Ёло чка"))
    #expect(!pasted.contains("[1m"))
    try tmux.keys("Escape")
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
  }
}
