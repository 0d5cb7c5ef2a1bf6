import CRMCore
import Foundation
import TerminalUI

/// The Mail section of the client card: the client's logged mail, newest first (date, an arrow
/// for the direction, the other side, the subject), and below it the text of the selected
/// message, as much as fits. The text is the plain text kept when the mail was logged (HTML
/// was turned into text then); it is never rendered.
@MainActor
final class MailThreadPanel {
  let context: AppContext
  let clientId: Int64
  var items: [MailThreadItem] = []
  var state = ListState()
  var loaded = false
  /// The text of the selected message, read when the selection changes.
  var body: (id: Int64, text: String)?
  /// How many messages the card reads.
  static let limit = 200

  init(context: AppContext, clientId: Int64) {
    self.context = context
    self.clientId = clientId
  }

  var l: Language { context.language }

  func load() {
    items = (try? context.core.mail.thread(clientId: clientId, limit: Self.limit)) ?? []
    body = nil
    loaded = true
  }

  var count: Int {
    if !loaded { load() }
    return items.count
  }

  func move(_ key: Key) -> Bool { state.move(key) }

  var selected: MailThreadItem? {
    items.indices.contains(state.selected) ? items[state.selected] : nil
  }

  func text(of item: MailThreadItem) -> String {
    if let b = body, b.id == item.id { return b.text }
    let t = (try? context.core.mail.body(messageRowId: item.id)) ?? nil
    body = (item.id, t ?? "")
    return t ?? ""
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    if !loaded { load() }
    state.count = items.count
    if items.isEmpty {
      let lines = wrap(
        l.pick(
          "No mail yet. Pipe a message from mutt or aerc to `crm mail log`, or sync a Maildir "
            + "with `crm mail sync` (see the user guide).",
          "Писем пока нет. Передайте письмо из mutt или aerc в `crm mail log` или "
            + "синхронизируйте Maildir: `crm mail sync` (см. руководство)."), width: width - 4)
      for (i, line) in lines.prefix(max(0, rows)).enumerated() {
        canvas.put(top + i, 2, line, .dim)
      }
      return
    }
    // The list takes about two fifths of the rows (at least 3 with its header), the text the
    // rest.
    let listRows = min(items.count + 1, max(3, rows * 2 / 5))
    state.visible = max(1, listRows - 1)
    state.clamp()
    let columns = [
      Column(l.pick("Date", "Дата"), width: 16), Column("", width: 1),
      Column(l.pick("From / to", "От / кому"), width: 22),
      Column(l.pick("Subject", "Тема"), width: 0),
    ]
    let shown = Array(items.dropFirst(state.top).prefix(state.visible))
    let cells = shown.map { m -> [String] in
      let who = m.direction == .incoming ? m.from : m.to
      let subject = m.subject.isEmpty ? l.pick("(no subject)", "(без темы)") : m.subject
      return [
        context.formats.dateTime(m.sentAt), m.direction == .incoming ? "←" : "→",
        Self.shortAddress(who), (m.attachmentNames.isEmpty ? "" : "📎 ") + subject,
      ]
    }
    drawTable(
      &canvas, top: top, rows: listRows, width: width, columns: columns, cells: cells,
      firstIndex: state.top, selected: state.selected
    ) { i in self.items[i].direction == .incoming ? .plain : Style(color: .cyan) }
    guard let m = selected else { return }
    var r = top + listRows
    let end = top + rows
    guard r < end else { return }
    let head =
      (m.direction == .incoming
        ? l.pick("From: ", "От: ") + m.from
        : l.pick("To: ", "Кому: ") + m.to)
    canvas.put(r, 0, String(repeating: "─", count: max(0, width)), .dim)
    r += 1
    guard r < end else { return }
    canvas.put(r, 1, head, .bold, maxWidth: width - 2)
    r += 1
    if !m.attachmentNames.isEmpty, r < end {
      canvas.put(
        r, 1, "📎 " + m.attachmentNames.joined(separator: ", "), .dim, maxWidth: width - 2)
      r += 1
    }
    let text = text(of: m)
    var lines: [String] = []
    for para in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let p = String(para).replacingOccurrences(of: "\t", with: "    ")
      lines += p.isEmpty ? [""] : wrap(p, width: max(10, width - 2))
      if lines.count > end - r { break }
    }
    for line in lines.prefix(max(0, end - r)) {
      canvas.put(r, 1, line, maxWidth: width - 2)
      r += 1
    }
  }

  /// `Иван Петров <ivan@x.ru>` → `Иван Петров`; a bare address stays; the first of a list.
  static func shortAddress(_ s: String) -> String {
    let first = s.split(separator: ",").first.map(String.init) ?? s
    if let lt = first.firstIndex(of: "<") {
      let name = first[..<lt].trimmingCharacters(in: .whitespaces)
      if !name.isEmpty { return name + (s.contains(",") ? " …" : "") }
      return String(first[first.index(after: lt)...]).replacingOccurrences(of: ">", with: "")
        .trimmingCharacters(in: .whitespaces)
    }
    return first.trimmingCharacters(in: .whitespaces) + (s.contains(",") ? " …" : "")
  }
}
