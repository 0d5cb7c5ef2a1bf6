import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Attacks on the files crm writes, by someone who shares the folder: symlinks planted for the
/// temporary names, special files given as the destination, and the modes of what is written.
@Suite(.serialized) struct FileAttackTests {
  /// The last PID the kernel gave out: the next processes get the numbers after it.
  func lastPID() -> Int {
    let text = (try? String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8)) ?? ""
    return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? Int(getpid())
  }

  /// A colleague's private file, and symlinks to it under every temporary name crm could pick
  /// for `out` in the next 300 processes (`.<name>.tmp-<PID>`).
  func plantFarm(for out: String, victim: String) {
    let dir = (out as NSString).deletingLastPathComponent
    let name = (out as NSString).lastPathComponent
    let next = lastPID()
    for pid in next...(next + 300) {
      symlink(victim, "\(dir)/.\(name).tmp-\(pid)")
    }
  }

  func privateFile(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
  }

  @Test func aSymlinkFarmForTheTemporaryNamesChangesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s, "Ромашка")
    let victim = s.dir + "/victim.txt"
    try privateFile(victim, "секрет коллеги")
    for (kind, file) in [("csv", "clients.csv"), ("json", "clients.json"), ("vcard", "c.vcf")] {
      let out = s.dir + "/" + file
      plantFarm(for: out, victim: victim)
      let r = try crm(s, ["export", kind, "--out", out])
      #expect(r.status == 0, "\(kind): \(r.err)")
      #expect(
        try String(contentsOfFile: victim, encoding: .utf8) == "секрет коллеги",
        "export \(kind) wrote through a planted symlink")
      #expect(isRegular(out), "export \(kind): \(out) is not a regular file")
      #expect(!isSymlink(out))
    }
    let ics = s.dir + "/plan.ics"
    plantFarm(for: ics, victim: victim)
    #expect(try crm(s, ["export", "ics", "--out", ics]).status == 0)
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "секрет коллеги")
    #expect(isRegular(ics))
    #expect(permissions(victim) == 0o600)
  }

  @Test func exportsArePrivateWhateverTheUmask() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)
    let old = umask(0o022)
    defer { umask(old) }
    for (kind, file) in [
      ("csv", "a.csv"), ("json", "a.json"), ("vcard", "a.vcf"), ("ics", "a.ics"),
    ] {
      let out = s.dir + "/" + file
      #expect(try crm(s, ["export", kind, "--out", out]).status == 0)
      #expect(
        permissions(out) == 0o600, "export \(kind) gave mode \(String(permissions(out), radix: 8))")
    }
    // A database made in an empty file someone created beforehand is private too.
    let db = s.dir + "/empty.sqlite"
    FileManager.default.createFile(
      atPath: db, contents: nil, attributes: [.posixPermissions: 0o644])
    let made = try run(crmBinary, ["--db", db, "--user", "anna", "client", "list"])
    #expect(made.status == 0, "\(made.err)")
    #expect(permissions(db) == 0o600, "mode \(String(permissions(db), radix: 8))")
  }

  @Test func aFIFOOrADeviceIsNeverReplaced() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)
    let fifo = s.dir + "/pipe"
    #expect(mkfifo(fifo, 0o600) == 0)
    let r = try crm(s, ["export", "csv", "--out", fifo], lang: "en")
    #expect(r.status != 0)
    #expect(r.err.contains("not a regular file"), "\(r.err)")
    #expect((modeOf(fifo) ?? 0) & S_IFMT == S_IFIFO, "the FIFO was replaced")
    let backup = try crm(s, ["backup", fifo, "--force"], lang: "en")
    #expect(backup.status != 0)
    #expect((modeOf(fifo) ?? 0) & S_IFMT == S_IFIFO, "backup --force replaced the FIFO")

    guard runningAsRoot else { return }  // mknod needs root
    let device = s.dir + "/null"
    #expect(mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
    for args in [["export", "csv", "--out", device], ["backup", device, "--force"]] {
      let r = try crm(s, args, lang: "en")
      #expect(r.status != 0, "\(args)")
      #expect(r.err.contains("not a regular file"), "\(args): \(r.err)")
      #expect((modeOf(device) ?? 0) & S_IFMT == S_IFCHR, "\(args) replaced the device")
    }
  }

  @Test func aSymlinkedDatabaseOrWALIsRefused() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)
    // The database itself through a link.
    let link = s.dir + "/link.sqlite"
    symlink(s.db, link)
    let r = try run(crmBinary, ["--db", link, "--user", "anna", "--lang", "en", "client", "list"])
    #expect(r.status != 0)
    #expect(r.err.contains("symbolic link"), "\(r.err)")
    // A -wal planted beside a closed database, pointing at someone's file.
    let victim = s.dir + "/victim.txt"
    try privateFile(victim, "секрет")
    unlink(s.db + "-wal")
    unlink(s.db + "-shm")
    symlink(victim, s.db + "-wal")
    let w = try crm(s, ["client", "add", "--name", "Берёза"], lang: "en")
    #expect(w.status != 0)
    #expect(w.err.contains("symbolic link"), "\(w.err)")
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "секрет")
  }

  @Test func initSharedGroupDoesNotFollowALinkToSomeonesDatabase() throws {
    guard runningAsRoot else { return }  // chown to a group needs root or membership
    let s = Scratch()
    defer { s.remove() }
    // Root's own private database elsewhere.
    let mine = Scratch()
    defer { mine.remove() }
    _ = try addClient(mine)
    chmod(mine.db, 0o600)
    var before = stat()
    stat(mine.db, &before)
    // The attacker's folder holds only a link named like the database.
    let shared = s.dir + "/shared"
    mkdir(shared, 0o755)
    symlink(mine.db, shared + "/crm.sqlite")
    let r = try run(
      crmBinary,
      [
        "init", "--db", shared + "/crm.sqlite", "--shared-group", "daemon", "--lang", "en",
        "--user", "anna",
      ])
    #expect(r.status != 0)
    #expect(r.err.contains("symbolic link"), "\(r.err)")
    var after = stat()
    stat(mine.db, &after)
    #expect(after.st_mode & 0o7777 == 0o600)
    #expect(after.st_gid == before.st_gid)
  }
}
