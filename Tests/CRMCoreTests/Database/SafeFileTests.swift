import CRMCore
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct SafeFileTests {
  let dir = NSTemporaryDirectory() + "safefile-" + UUID().uuidString

  init() throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  func mode(_ path: String) -> mode_t {
    var st = stat()
    lstat(path, &st)
    return st.st_mode
  }

  @Test func writesPrivatelyAndReplacesALinkInsteadOfFollowingIt() throws {
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let victim = dir + "/victim"
    try Data("old".utf8).write(to: URL(fileURLWithPath: victim))
    let out = dir + "/out.csv"
    symlink(victim, out)
    let old = umask(0)
    defer { umask(old) }
    try SafeFile.write(Data("новое".utf8), to: out, language: .en)
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "old")
    #expect(mode(out) & S_IFMT == S_IFREG)
    #expect(mode(out) & 0o777 == 0o600)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "новое")
    // No temporary file is left behind.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["out.csv", "victim"])
  }

  @Test func refusesAFIFOAndAFolder() throws {
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fifo = dir + "/pipe"
    mkfifo(fifo, 0o600)
    #expect(throws: CRMError.self) { try SafeFile.write(Data("x".utf8), to: fifo, language: .en) }
    #expect(mode(fifo) & S_IFMT == S_IFIFO)
    #expect(throws: CRMError.self) { try SafeFile.write(Data("x".utf8), to: dir, language: .en) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pipe"])
  }

  @Test func temporaryNamesAreRandomAndNeverFollowALink() throws {
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let a = try SafeFile.createTemporary(beside: dir + "/f", language: .en)
    let b = try SafeFile.createTemporary(beside: dir + "/f", language: .en)
    close(a.fd)
    close(b.fd)
    #expect(a.path != b.path)
    #expect(mode(a.path) & 0o777 == 0o600)
  }

  @Test func aDatabaseIsNeverOpenedThroughALink() throws {
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let real = dir + "/real.sqlite"
    _ = try CRMDatabase(path: real)
    symlink(real, dir + "/link.sqlite")
    #expect(throws: CRMError.self) { try CRMDatabase(path: dir + "/link.sqlite") }
    symlink(dir + "/elsewhere", dir + "/new.sqlite-wal")
    #expect(throws: CRMError.self) { try CRMDatabase(path: dir + "/new.sqlite") }
    #expect(!FileManager.default.fileExists(atPath: dir + "/new.sqlite"))
  }

  /// Every file the product writes goes through `SafeFile` (or, for the database itself, through
  /// `CRMDatabase.createFile` and SQLite): a walk over the sources for other ways to write.
  @Test func noOtherWriterInTheSources() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources")
    // Development tools that write their own scratch files, not user data.
    let exempt = ["CRMBench/", "FuzzChecks/", "crm/Bench/"]
    let allowed: [String: [String]] = [
      "CRMCore/Database/SafeFile.swift": ["open("],
      "CRMCore/Database/CRMDatabase.swift": ["open("],
    ]
    let patterns = [
      ".write(to:", "write(toFile:", "forWritingAtPath", "forUpdatingAtPath", "createFile(atPath",
      "fopen(", "open(", "creat(", "FileHandle.standardOutput", "Swift.print(",
    ]
    var found: [String] = []
    let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
    for case let url as URL in files where url.pathExtension == "swift" {
      let rel = String(url.path.dropFirst(root.path.count + 1))
      if exempt.contains(where: rel.hasPrefix) { continue }
      let text = try String(contentsOf: url, encoding: .utf8)
      for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let code = line.trimmingCharacters(in: .whitespaces)
        if code.hasPrefix("//") { continue }
        for p in patterns where line.contains(p) {
          // The C `open(`/`creat(` (not `reopen(`, `.open(`, `func open(`) with a flag that
          // writes; opening to read is not writing.
          if p == "open(" || p == "creat(" {
            let call = "(^|[^A-Za-z_.])" + p.dropLast() + "\\("
            guard line.range(of: call, options: .regularExpression) != nil,
              ["O_CREAT", "O_WRONLY", "O_RDWR"].contains(where: line.contains)
            else { continue }
          }
          if allowed[rel]?.contains(p) == true { continue }
          found.append("\(rel):\(n + 1): \(code)")
        }
      }
    }
    #expect(found.isEmpty, "writers that bypass SafeFile:\n\(found.joined(separator: "\n"))")
  }
}
