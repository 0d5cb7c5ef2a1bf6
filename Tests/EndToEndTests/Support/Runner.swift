import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The package root, from this file's location.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `crm`: `$CRM_BIN`, or the debug build next to the tests.
let crmBinary: String = {
  if let bin = ProcessInfo.processInfo.environment["CRM_BIN"], !bin.isEmpty { return bin }
  return packageRoot.appendingPathComponent(".build/debug/crm").path
}()

/// Runs a program to completion; returns exit status, standard output and standard error.
/// Uses posix_spawn and waitpid with output in files: Foundation's Process never reaps a
/// `tmux new-session` client here, because the tmux server it forks keeps inherited descriptors.
@discardableResult
func run(
  _ program: String, _ args: [String], env: [String: String] = [:], stdout: String? = nil
) throws -> (
  status: Int32, out: String, err: String
) {
  let base = NSTemporaryDirectory() + "crm-e2e-out-" + UUID().uuidString
  defer {
    unlink(base + ".out")
    unlink(base + ".err")
  }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  if let stdout {
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY, 0)
  } else {
    posix_spawn_file_actions_addopen(
      &actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  }
  posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  var environment = ProcessInfo.processInfo.environment
  for (k, v) in env { environment[k] = v }
  let argv = ([program] + args).map { strdup($0) } + [nil]
  let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer {
    for p in argv { free(p) }
    for p in envp { free(p) }
  }
  // Children start with no blocked signals, whatever this test thread blocks.
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var empty = sigset_t()
  sigemptyset(&empty)
  posix_spawnattr_setsigmask(&attributes, &empty)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
  if rc != 0 { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  let o = FileManager.default.contents(atPath: base + ".out") ?? Data()
  let e = FileManager.default.contents(atPath: base + ".err") ?? Data()
  return (code, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func which(_ name: String) -> String? {
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
  {
    let path = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: path) { return path }
  }
  return nil
}

/// A private tmux server running `crm` in one 80×24 window.
final class TmuxSession {
  let socket = "crm-e2e-" + UUID().uuidString.prefix(8)
  let tmux: String

  init(_ command: String, cols: Int = 80, rows: Int = 24) throws {
    tmux = try #require(
      which("tmux"), "tmux is needed for end-to-end tests (scripts/test.sh installs it)")
    try run(
      tmux,
      [
        "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)",
        "-s", "t", command,
      ])
  }

  func keys(_ keys: String...) throws {
    try run(tmux, ["-L", socket, "send-keys", "-t", "t"] + keys)
  }
  func type(_ text: String) throws {
    try run(tmux, ["-L", socket, "send-keys", "-t", "t", "-l", text])
  }
  func screen() throws -> String {
    try run(tmux, ["-L", socket, "capture-pane", "-p", "-t", "t"]).out
  }
  func resize(cols: Int, rows: Int) throws {
    try run(tmux, ["-L", socket, "resize-window", "-t", "t", "-x", "\(cols)", "-y", "\(rows)"])
  }

  /// Waits until the screen contains `text`; returns the last screen either way.
  func waitFor(_ text: String, seconds: Double = 15) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    while Date() < deadline {
      last = try screen()
      if last.contains(text) { return last }
      Thread.sleep(forTimeInterval: 0.1)
    }
    return last
  }

  func alive() throws -> Bool {
    try run(tmux, ["-L", socket, "has-session", "-t", "t"]).status == 0
  }

  /// Waits until the program in the window has ended (a sanitized crm takes a second to quit);
  /// true when it did within `seconds`.
  func waitUntilGone(seconds: Double = 15) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while try alive() {
      if Date() >= deadline { return false }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return true
  }

  deinit { _ = try? run(tmux, ["-L", socket, "kill-server"]) }
}

/// A temporary folder with a database path inside.
struct Scratch {
  let dir = NSTemporaryDirectory() + "crm-e2e-" + UUID().uuidString
  var db: String { dir + "/crm.sqlite" }
  init() {
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }
  func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// `LANG=ru_RU.UTF-8` as in containers where that locale is not generated: crm must fall back to
/// C.UTF-8 for characters and still speak Russian.
func crmCommand(_ db: String, extra: String = "") -> String {
  "env LANG=ru_RU.UTF-8 LC_ALL= TERM=xterm-256color \(crmBinary) --db \(db) --user anna \(extra)"
}
