import CRMCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `crm mail sync`: logs the messages of Maildirs that are to or from a known client.
///
/// Fast by design: the addresses of all visible clients are loaded once into memory; the
/// entries read before (`maildir_entry`, by the unique part of the file name, so a file moved
/// from new/ to cur/ or given new flags is not read again) are loaded once into a set; of a new
/// file only the first 64 KB are read to decide from the headers, and the rest only when the
/// message concerns a client; messages are written in batches, one transaction each, through
/// cached statements. A message with its contact is written whole or not at all.
public struct MaildirSync {
  public struct Options: Sendable {
    public var own: Set<String>
    /// Read every file again, ignoring what was read before (after adding clients).
    public var rescan = false
    /// Include the Maildir++ subfolders (`.Sent`, `.Archive`…) of each Maildir given.
    public var subfolders = false
    public var batchSize = 1000
    /// The largest message read whole; bigger ones are skipped with a warning.
    public var maxBytes = 64 * 1024 * 1024

    public init(own: Set<String>, rescan: Bool = false, subfolders: Bool = false) {
      self.own = own
      self.rescan = rescan
      self.subfolders = subfolders
    }
  }

  /// What a run did.
  public struct Summary: Equatable, Sendable {
    public var folders = 0
    /// Files seen in new/ and cur/.
    public var files = 0
    /// Files not read before.
    public var new = 0
    /// Contacts logged (a message to two clients counts twice).
    public var logged = 0
    /// Messages whose Message-ID was logged for the client already.
    public var already = 0
    /// New messages that concern no known client.
    public var unrelated = 0
    /// Entries skipped, each with its path and why.
    public var skipped: [String] = []
    /// Messages read with a warning (unknown charset, cut multipart…), with their path.
    public var warnings: [String] = []
    /// What was logged, one line each (for `--verbose`).
    public var loggedLines: [String] = []
  }

  let service: MailLogService
  let options: Options
  let language: Language

  public init(service: MailLogService, options: Options) {
    self.service = service
    self.options = options
    self.language = service.language
  }

  struct Entry {
    var key: String
    var path: String
    var mtime: Date
  }

  /// The Maildirs under `paths`: each path must have cur/ and new/ (a Maildir++ root has
  /// them too); with `subfolders`, its `.Name` folders that have them as well.
  public func folders(_ paths: [String]) throws(CRMError) -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    func isMaildir(_ p: String) -> Bool {
      var dir: ObjCBool = false
      return fm.fileExists(atPath: p + "/cur", isDirectory: &dir) && dir.boolValue
        && fm.fileExists(atPath: p + "/new", isDirectory: &dir) && dir.boolValue
    }
    for raw in paths {
      let p = raw.hasSuffix("/") && raw.count > 1 ? String(raw.dropLast()) : raw
      guard isMaildir(p) else {
        throw CRMError.invalid(
          field: p,
          problem: language.pick(
            "is not a Maildir (it needs the folders cur/ and new/)",
            "не Maildir (нужны папки cur/ и new/)"))
      }
      out.append(p)
      if options.subfolders {
        let names = ((try? fm.contentsOfDirectory(atPath: p)) ?? []).filter {
          $0.hasPrefix(".") && $0 != "." && $0 != ".."
        }.sorted()
        for n in names where isMaildir(p + "/" + n) { out.append(p + "/" + n) }
      }
    }
    return out
  }

  /// The unique part of a Maildir file name: before the `:2,` info (or `!2,` where colons are
  /// not allowed).
  public static func key(_ name: String) -> String {
    if let i = name.firstIndex(where: { $0 == ":" || $0 == "!" }) { return String(name[..<i]) }
    return name
  }

  func list(_ dir: String) -> [Entry] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [Entry] = []
    while let e = readdir(d) {
      let name = withUnsafePointer(to: e.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name.hasPrefix(".") { continue }
      out.append(Entry(key: Self.key(name), path: dir + "/" + name, mtime: .distantPast))
    }
    return out
  }

  enum ReadError: Error {
    case io(String)
    case tooBig(Int)
  }

  /// Reads up to `limit` bytes of a regular file (symbolic links are not followed).
  static func readFile(_ path: String, limit: Int) throws(ReadError) -> (
    bytes: [UInt8], size: Int,
    mtime: Date
  ) {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    if fd < 0 { throw .io(String(cString: strerror(errno))) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .io(String(cString: strerror(errno))) }
    guard st.st_mode & S_IFMT == S_IFREG else { throw .io("not a regular file") }
    let size = Int(st.st_size)
    let want = min(size, limit)
    var buf = [UInt8](repeating: 0, count: want)
    var got = 0
    while got < want {
      let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, want - got) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .io(String(cString: strerror(errno)))
      }
      if n == 0 { break }
      got += n
    }
    if got < want { buf.removeLast(want - got) }
    let mtime = Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec))
    return (buf, size, mtime)
  }

  /// One message decided: what to write for it.
  struct Work {
    var key: String
    var path: String
    var messageId: String
    var record: MailRecord?
    var matches: [MailMatch]
  }

  /// Runs the sync over `paths`. `progress` is told each batch written (files done, total).
  public func run(_ paths: [String], progress: ((Int, Int) -> Void)? = nil) throws(CRMError)
    -> Summary
  {
    var summary = Summary()
    let dirs = try folders(paths)
    summary.folders = dirs.count
    let book = try service.addressBook()
    let seen = options.rescan ? [] : try service.seenEntries()
    var pending: [Entry] = []
    var keys = Set<String>()
    for dir in dirs {
      for sub in ["new", "cur"] {
        for e in list(dir + "/" + sub) {
          summary.files += 1
          if seen.contains(e.key) || !keys.insert(e.key).inserted { continue }
          pending.append(e)
        }
      }
    }
    summary.new = pending.count
    var start = 0
    while start < pending.count {
      let slice = pending[start..<min(pending.count, start + options.batchSize)]
      var work: [Work] = []
      for e in slice {
        if let w = decide(e, book: book, summary: &summary) { work.append(w) }
      }
      try write(work, summary: &summary)
      start += slice.count
      progress?(start, pending.count)
    }
    return summary
  }

  func decide(_ e: Entry, book: MailAddressBook, summary: inout Summary) -> Work? {
    let l = language
    func skip(_ why: String) -> Work? {
      summary.skipped.append("\(e.path): \(why)")
      return nil
    }
    let head: (bytes: [UInt8], size: Int, mtime: Date)
    do {
      head = try Self.readFile(e.path, limit: 64 * 1024)
    } catch {
      switch error {
      case .io(let m): return skip(l.pick("cannot be read: ", "не читается: ") + m)
      case .tooBig: return nil
      }
    }
    let headers: ParsedMail
    do {
      headers = try MIMEParser.headers(head.bytes, language: l)
    } catch {
      // Recorded as read: a broken file is reported once, not on every run.
      summary.skipped.append("\(e.path): \(error.description)")
      return Work(key: e.key, path: e.path, messageId: "", record: nil, matches: [])
    }
    let sides = MailLog.sides(headers, own: options.own, forced: nil, book: book)
    guard !sides.matches.isEmpty else {
      summary.unrelated += 1
      return Work(
        key: e.key, path: e.path, messageId: headers.messageId, record: nil, matches: [])
    }
    var bytes = head.bytes
    if head.size > bytes.count {
      guard head.size <= options.maxBytes else {
        return skip(
          l.pick(
            "larger than \(options.maxBytes / 1024 / 1024) MB; not read",
            "больше \(options.maxBytes / 1024 / 1024) МБ; не прочитан"))
      }
      do {
        bytes = try Self.readFile(e.path, limit: options.maxBytes).bytes
      } catch {
        return skip(l.pick("cannot be read", "не читается"))
      }
    }
    let mail: ParsedMail
    do {
      mail = try MIMEParser.parse(bytes, language: l)
    } catch {
      summary.skipped.append("\(e.path): \(error.description)")
      return Work(key: e.key, path: e.path, messageId: "", record: nil, matches: [])
    }
    for w in mail.warnings { summary.warnings.append("\(e.path): \(w)") }
    let record = MailLog.record(mail, direction: sides.direction, fallbackDate: head.mtime)
    return Work(
      key: e.key, path: e.path, messageId: record.messageId, record: record,
      matches: sides.matches)
  }

  func write(_ work: [Work], summary: inout Summary) throws(CRMError) {
    guard !work.isEmpty else { return }
    let l = language
    var lines: [String] = []
    var logged = 0
    var already = 0
    var failed: [String] = []
    try service.batch { db, me, at in
      lines = []
      logged = 0
      already = 0
      failed = []
      for w in work {
        if let record = w.record {
          do {
            try db.inSavepoint {
              for m in w.matches {
                switch try service.logInside(db, record, to: m, me: me, at: at) {
                case .logged(let id, _):
                  logged += 1
                  lines.append(
                    "№\(id) \(record.direction == .incoming ? "←" : "→") \(m.clientName): "
                      + (record.subject.isEmpty
                        ? l.pick("(no subject)", "(без темы)")
                        : record.subject))
                case .already: already += 1
                }
              }
              return .commit
            }
          } catch let e as CRMError {
            failed.append("\(w.path): \(e.message(l))")
            continue
          }
        }
        try service.markEntry(db, key: w.key, messageId: w.messageId)
      }
    }
    summary.logged += logged
    summary.already += already
    summary.loggedLines += lines
    summary.skipped += failed
  }
}
