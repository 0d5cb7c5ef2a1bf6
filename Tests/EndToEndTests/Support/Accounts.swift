import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// True when the tests run as root: only then can they create OS accounts, device files and
/// read-only mounts, as the attacks on a shared host need.
var runningAsRoot: Bool { getuid() == 0 }

/// A throwaway OS account (`useradd`, no home), removed with `remove()`.
struct OSAccount {
  let name: String

  init() throws {
    name = "crmt" + String(UUID().uuidString.prefix(8)).lowercased()
    let useradd = try #require(systemTool("useradd"), "useradd is needed")
    let r = try run(useradd, ["-M", "-N", "-s", "/bin/sh", name])
    try #require(r.status == 0, "useradd \(name): \(r.err)")
  }

  /// Runs `crm` as this account (`runuser`, a clean environment: only what `env` gives).
  func crm(_ args: [String], env: [String: String] = [:]) throws -> (
    status: Int32, out: String, err: String
  ) {
    let runuser = try #require(systemTool("runuser"), "runuser is needed")
    var vars = ["TZ=UTC", "LANG=ru_RU.UTF-8", "PATH=/usr/bin:/bin", "HOME=/tmp"]
    for (k, v) in env { vars.append("\(k)=\(v)") }
    return try run(runuser, ["-u", name, "--", "/usr/bin/env", "-i"] + vars + [crmBinary] + args)
  }

  func remove() {
    if let userdel = systemTool("userdel") {
      _ = try? run(userdel, [name])
    }
  }
}

/// Mode bits of a path (the link itself, not what it points to).
func modeOf(_ path: String) -> mode_t? {
  var st = stat()
  return lstat(path, &st) == 0 ? st.st_mode : nil
}

func isSymlink(_ path: String) -> Bool { (modeOf(path) ?? 0) & S_IFMT == S_IFLNK }
func isRegular(_ path: String) -> Bool { (modeOf(path) ?? 0) & S_IFMT == S_IFREG }
func permissions(_ path: String) -> mode_t { (modeOf(path) ?? 0) & 0o7777 }

/// A program from PATH or the system folders (PATH in tests may lack /usr/sbin).
func systemTool(_ name: String) -> String? {
  which(name)
    ?? ["/usr/sbin/", "/sbin/", "/usr/bin/"].map { $0 + name }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
}
