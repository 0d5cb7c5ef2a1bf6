import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The one way TermCRM writes a file (exports, printouts, calendars, backups).
///
/// The content goes to a new file beside the destination, created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW`, a random name and mode 0600 (whatever the umask), written
/// whole and synced, then renamed over the destination. So a symlink planted under a
/// temporary name is never followed (the open fails, and another name is tried), readers see the
/// old file or the new one, and nothing written is readable by others. A destination that is a
/// device, a FIFO, a socket or a folder is refused before anything is written; a symbolic link
/// at the destination is replaced by the file, never written through.
public enum SafeFile {
  /// How many random names are tried when one is taken.
  static let attempts = 16

  /// Refuses a destination that exists and is not a regular file or a symbolic link.
  public static func checkDestination(_ path: String, language l: Language) throws(CRMError) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    switch st.st_mode & S_IFMT {
    case S_IFREG, S_IFLNK: return
    case S_IFDIR:
      throw .invalid(
        field: path,
        problem: l.pick(
          "is a folder, not a regular file; name a file",
          "это папка, а не обычный файл; укажите файл"
        ))
    default:
      throw .invalid(
        field: path,
        problem: l.pick(
          "is not a regular file (a device, FIFO or socket); nothing was written. "
            + "Use - for standard output.",
          "не обычный файл (устройство, канал или сокет); ничего не записано. "
            + "Для стандартного вывода укажите -."))
    }
  }

  /// A new empty file beside `path` that nobody else can have planted: a random name,
  /// `O_EXCL|O_NOFOLLOW`, mode 0600. Returns its path and the open descriptor.
  public static func createTemporary(beside path: String, language l: Language) throws(CRMError)
    -> (path: String, fd: Int32)
  {
    let dir = (path as NSString).deletingLastPathComponent
    let base = (path as NSString).lastPathComponent
    var lastError: Int32 = EEXIST
    for _ in 0..<attempts {
      let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
      let temp = (dir.isEmpty ? "" : dir + "/") + ".\(base).\(suffix).tmp"
      let fd = open(temp, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0o600)
      if fd >= 0 {
        // The umask can only narrow 0600, but a group default ACL could widen it.
        _ = fchmod(fd, 0o600)
        return (temp, fd)
      }
      lastError = errno
      if errno != EEXIST && errno != ELOOP { break }
    }
    if lastError == ENOSPC { throw .diskFull(path: path) }
    throw .unreadable(path: path, reason: String(cString: strerror(lastError)))
  }

  /// Writes `data` to `path` as described above. `path` must not be `-` (the caller prints).
  public static func write(_ data: Data, to path: String, language l: Language) throws(CRMError) {
    try checkDestination(path, language: l)
    let (temp, fd) = try createTemporary(beside: path, language: l)
    var failure: Int32 = 0
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      var offset = 0
      while offset < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += n
      }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 {
      do { try publish(temp, to: path, language: l) } catch {
        unlink(temp)
        throw error
      }
      return
    }
    unlink(temp)
    if failure == ENOSPC || failure == EDQUOT { throw .diskFull(path: path) }
    throw .ioError(path: path, reason: String(cString: strerror(failure)))
  }

  /// Renames the finished temporary file over `path`, checking the destination once more (it
  /// may have become a FIFO meanwhile).
  public static func publish(_ temp: String, to path: String, language l: Language)
    throws(CRMError)
  {
    try checkDestination(path, language: l)
    guard rename(temp, path) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Refuses a path that is a symbolic link or not a regular file (when it exists): the
  /// database and the files SQLite keeps beside it are never opened through a link.
  public static func checkNotLinked(_ path: String, language l: Language) throws(CRMError) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    switch st.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFLNK:
      throw .unreadable(
        path: path,
        reason: l.pick(
          "is a symbolic link; give the real path (a link could send writes elsewhere)",
          "это символическая ссылка; укажите настоящий путь (ссылка может увести запись в другой файл)"
        ))
    default:
      throw .unreadable(
        path: path, reason: l.pick("is not a regular file", "не обычный файл"))
    }
  }

  /// The database file and its `-wal`, `-shm` and `-journal`: none may be a link.
  public static func checkDatabasePath(_ path: String, language l: Language) throws(CRMError) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
      try checkNotLinked(path + suffix, language: l)
    }
  }
}
