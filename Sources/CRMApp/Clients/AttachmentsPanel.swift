import CRMCore
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// The Files section of the client card: the client's attachments (its deals' too), newest
/// first — name, size, date, who added it — read from SQL one page at a time as the selection
/// moves down. `F` (or Enter) opens the selected one with the user's opener.
@MainActor
final class AttachmentsPanel {
  let context: AppContext
  let clientId: Int64?
  let dealId: Int64?
  var items: [Attachment] = []
  var state = ListState()
  var loaded = false
  /// Whether the last page read was full (more may follow).
  var more = false
  /// Logins of the users, read once per load, for «who added it».
  var logins: [Int64: String] = [:]
  /// How many rows one read asks for.
  static let page = 50

  init(context: AppContext, clientId: Int64? = nil, dealId: Int64? = nil) {
    self.context = context
    self.clientId = clientId
    self.dealId = dealId
  }

  var l: Language { context.language }

  func load() {
    items = []
    more = true
    logins = Dictionary(
      ((try? context.db.users()) ?? []).map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
    readMore()
    loaded = true
  }

  /// The next page after what is read.
  func readMore() {
    guard more else { return }
    let next =
      (try? context.core.attachments.list(
        clientId: clientId, dealId: dealId, limit: Self.page, offset: items.count)) ?? []
    items += next
    more = next.count == Self.page
  }

  var count: Int {
    if !loaded { load() }
    return items.count
  }

  /// The count for a tab title: «50+» while more pages follow.
  var countText: String {
    let n = count
    return more ? "\(n)+" : "\(n)"
  }

  func move(_ key: Key) -> Bool {
    guard state.move(key) else { return false }
    if state.selected >= items.count - 1 && more {
      readMore()
      state.count = items.count
    }
    return true
  }

  var selected: Attachment? {
    if !loaded { load() }
    return items.indices.contains(state.selected) ? items[state.selected] : nil
  }

  func cells(_ a: Attachment) -> [String] {
    [
      a.name, AttachmentService.sizeText(a.size, l), context.formats.dateTime(a.createdAt),
      logins[a.userId] ?? "",
    ]
  }

  static func columns(_ l: Language) -> [Column] {
    [
      Column(l.pick("File", "Файл"), width: 0), Column(l.pick("Size", "Размер"), width: 9),
      Column(l.pick("Added", "Добавлен"), width: 16), Column(l.pick("By", "Кто"), width: 10),
    ]
  }

  func emptyText(_ l: Language) -> String {
    let target = dealId.map { "--deal \($0)" } ?? "--client \(clientId ?? 0)"
    return l.pick(
      "No files. Add one: crm attach add \(target) FILE",
      "Файлов нет. Добавить: crm attach add \(target) ФАЙЛ")
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    if !loaded { load() }
    state.count = items.count
    if items.isEmpty {
      for (i, line) in wrap(emptyText(l), width: width - 4).prefix(max(0, rows)).enumerated() {
        canvas.put(top + i, 2, line, .dim)
      }
      return
    }
    state.visible = max(1, rows - 1)
    state.clamp()
    let shown = Array(items.dropFirst(state.top).prefix(state.visible))
    drawTable(
      &canvas, top: top, rows: rows, width: width, columns: Self.columns(l),
      cells: shown.map(cells), firstIndex: state.top, selected: state.selected)
  }
}

/// Opens an attachment: its bytes go to a private file (a fresh 0700 folder under the user's
/// runtime or temporary folder, the file 0600 through `SafeFile`, under its own name made safe),
/// then the user's opener is run on it and the path is shown.
@MainActor
enum AttachmentOpen {
  static func run(_ a: Attachment, context: AppContext, app: App) {
    let l = context.language
    let path: String
    do {
      guard let (found, data) = try context.core.attachments.get(a.id) else {
        app.flash(l.pick("The file is gone.", "Файла больше нет."), error: true)
        return
      }
      path = try write(data, name: found.name, language: l)
    } catch {
      app.report(error)
      return
    }
    guard let opener = context.openFile else {
      app.flash(
        path
          + l.pick(
            " — no program to open it: set opener in ~/.config/termcrm/config.toml",
            " — нечем открыть: задайте opener в ~/.config/termcrm/config.toml"), error: true)
      return
    }
    do {
      try opener(path)
      app.flash(l.pick("Opened ", "Открыт ") + path)
    } catch {
      app.flash(path + " — " + "\(error)", error: true)
    }
  }

  /// The name a file is written under: no `/`, no control characters, no leading dot.
  nonisolated static func safeName(_ name: String) -> String {
    var s = TextFold.sanitizeLine(name).replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "\0", with: "")
    while s.hasPrefix(".") { s.removeFirst() }
    s = s.trimmingCharacters(in: .whitespaces)
    // A name fits a file system's 255 bytes.
    while s.utf8.count > 200 { s.removeLast() }
    return s.isEmpty ? "file" : s
  }

  /// The user's own folder for opened files: `$XDG_RUNTIME_DIR/termcrm`, else
  /// `<temp>/termcrm-<uid>`; made 0700 and refused when it is a link, someone else's or open
  /// to others.
  nonisolated static func baseFolder(
    env: [String: String] = ProcessInfo.processInfo.environment, language l: Language
  ) throws(CRMError) -> String {
    let base: String
    if let run = env["XDG_RUNTIME_DIR"], run.hasPrefix("/"), directoryIsMine(run, strict: false) {
      base = run + "/termcrm"
    } else {
      var tmp = NSTemporaryDirectory()
      while tmp.count > 1 && tmp.hasSuffix("/") { tmp.removeLast() }
      base = tmp + "/termcrm-\(getuid())"
    }
    if mkdir(base, 0o700) != 0 && errno != EEXIST {
      throw .ioError(path: base, reason: String(cString: strerror(errno)))
    }
    guard directoryIsMine(base, strict: true) else {
      throw .unreadable(
        path: base,
        reason: l.pick(
          "is not a private folder of yours (a link, another owner, or open to others)",
          "не ваша личная папка (ссылка, чужая или открыта другим)"))
    }
    return base
  }

  /// A real folder (not a link) owned by the user; with `strict`, closed to others too.
  nonisolated static func directoryIsMine(_ path: String, strict: Bool) -> Bool {
    var st = stat()
    guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR, st.st_uid == getuid() else {
      return false
    }
    return !strict || st.st_mode & 0o077 == 0
  }

  /// Writes `data` as `name` into a fresh folder; returns the file's path.
  nonisolated static func write(
    _ data: Data, name: String, env: [String: String] = ProcessInfo.processInfo.environment,
    language l: Language
  ) throws(CRMError) -> String {
    let base = try baseFolder(env: env, language: l)
    var template = Array((base + "/open-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let made else {
      throw .ioError(path: base, reason: String(cString: strerror(errno)))
    }
    let folder = String(cString: made)
    let path = folder + "/" + safeName(name)
    try SafeFile.write(data, to: path, language: l)
    return path
  }
}
