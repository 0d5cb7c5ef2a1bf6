import CRMCore
import Foundation
import TerminalUI

/// What a bulk change on the clients screen sets.
enum BulkKind: CaseIterable, Sendable {
  case owner, segment, addTag, removeTag, source, contact
}

/// `B` on the clients screen: which change, one key each, then its form.
@MainActor
final class BulkMenuScreen: Screen {
  struct Choice: Sendable {
    let key: Character
    let kind: BulkKind
    func name(_ l: Language) -> String {
      switch kind {
      case .owner: return l.pick("set the owner", "назначить ответственного")
      case .segment: return l.pick("set the segment", "задать сегмент")
      case .addTag: return l.pick("add a tag", "добавить тег")
      case .removeTag: return l.pick("remove a tag", "убрать тег")
      case .source: return l.pick("set the lead source", "задать источник")
      case .contact: return l.pick("plan a contact for each", "запланировать контакт каждому")
      }
    }
  }

  nonisolated static let choices = [
    Choice(key: "o", kind: .owner), Choice(key: "s", kind: .segment),
    Choice(key: "t", kind: .addTag), Choice(key: "T", kind: .removeTag),
    Choice(key: "r", kind: .source), Choice(key: "p", kind: .contact),
  ]

  let tab = 1
  let context: AppContext
  let target: BulkTarget
  let count: Int
  let what: String
  let onApplied: (BulkResult) -> Void
  var capturesText: Bool { true }

  init(
    context: AppContext, target: BulkTarget, count: Int, what: String,
    onApplied: @escaping (BulkResult) -> Void
  ) {
    self.context = context
    self.target = target
    self.count = count
    self.what = what
    self.onApplied = onApplied
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    canvas.put(
      top, 1, l.pick("Bulk change: ", "Массовое изменение: ") + what, .bold, maxWidth: width - 2)
    canvas.put(
      top + 1, 1,
      l.pick(
        "Clients: \(context.formats.integer(count)). What to do? Press its key:",
        "Клиентов: \(context.formats.integer(count)). Что сделать? Нажмите клавишу:"), .dim,
      maxWidth: width - 2)
    for (i, c) in Self.choices.enumerated() {
      let next = canvas.put(top + 3 + i, 3, String(c.key), Style(bold: true, reverse: true))
      canvas.put(top + 3 + i, next + 1, c.name(l), maxWidth: width - next - 2)
    }
  }

  func handle(_ key: Key, app: App) {
    if case .char(let ch) = KeyboardLayout.latin(key),
      let c = Self.choices.first(where: { $0.key == ch })
    {
      app.pop()
      app.push(
        BulkFormScreen.make(
          context: context, kind: c.kind, target: target, what: what, onApplied: onApplied))
      return
    }
    if key == .escape || KeyboardLayout.latin(key) == .char("q") {
      app.pop()
      app.flash(context.language.pick("Nothing changed.", "Ничего не изменено."))
    }
  }
}

/// The form of one bulk change; on submit it asks "Change 1 234 clients?" with the fresh count
/// and applies the change when the answer is yes.
@MainActor
final class BulkFormScreen: FormScreen {
  let kind: BulkKind
  let target: BulkTarget
  let onApplied: (BulkResult) -> Void

  init(
    context: AppContext, kind: BulkKind, target: BulkTarget, form: Form,
    onApplied: @escaping (BulkResult) -> Void
  ) {
    self.kind = kind
    self.target = target
    self.onApplied = onApplied
    super.init(context: context, form: form)
  }

  /// Up to `limit` names joined for a field's note, with "…" when there are more.
  static func offer(_ names: [String], limit: Int = 5) -> String {
    names.prefix(limit).joined(separator: ", ") + (names.count > limit ? ", …" : "")
  }

  static func make(
    context: AppContext, kind: BulkKind, target: BulkTarget, what: String,
    onApplied: @escaping (BulkResult) -> Void
  ) -> BulkFormScreen {
    let l = context.language
    let v = context.clients.validator
    let s = context.contacts
    let title =
      (BulkMenuScreen.choices.first { $0.kind == kind }?.name(l)).map {
        $0.prefix(1).uppercased() + $0.dropFirst()
      } ?? ""
    var fields: [FormField] = []
    switch kind {
    case .owner:
      let logins = ((try? context.db.users()) ?? []).filter(\.active).map(\.login)
      fields = [FormField(key: "value", label: v.fieldName("owner"), note: offer(logins))]
    case .segment:
      let segments = (try? context.db.segments()) ?? []
      fields = [
        FormField(
          key: "value", label: v.fieldName("segment"),
          note: offer(segments) + l.pick(" (empty clears)", " (пусто — очистить)"))
      ]
    case .addTag, .removeTag:
      let tags = ((try? context.db.tags()) ?? []).sorted { $0.count > $1.count }.map(\.tag)
      fields = [FormField(key: "value", label: l.pick("Tag", "Тег"), note: offer(tags))]
    case .source:
      let sources = ((try? context.pipelines.leadSources()) ?? []).map(\.name)
      fields = [
        FormField(
          key: "value", label: v.fieldName("lead_source"),
          note: offer(sources) + l.pick(" (empty clears)", " (пусто — очистить)"))
      ]
    case .contact:
      let kinds = ContactKind.allCases.map { $0.name(l) }.joined(separator: ", ")
      fields = [
        FormField(
          key: "kind", label: s.fieldName("kind"), value: ContactKind.call.name(l), note: kinds),
        FormField(
          key: "due", label: s.fieldName("due"), value: l.pick("tomorrow", "завтра"),
          note: l.pick(
            "+3d, tomorrow 10:00, fri 15:00, 25.11.2026 10:00",
            "+3d, завтра 10:00, пт 15:00, 25.11.2026 10:00")),
        FormField(key: "subject", label: s.fieldName("subject")),
        FormField(
          key: "user", label: s.fieldName("user"),
          note: l.pick("login; empty = each client's owner", "логин; пусто — ответственный клиента")
        ),
      ]
    }
    return BulkFormScreen(
      context: context, kind: kind, target: target,
      form: Form(title: title + " — " + what, fields: fields), onApplied: onApplied)
  }

  override var cancelMessage: String {
    context.language.pick("Nothing changed.", "Ничего не изменено.")
  }

  /// An active user by login, or a message on the field.
  func activeUser(_ field: String) throws(CRMError) -> Int64? {
    let login = form.value(field).trimmingSpaces()
    guard let u = try context.db.findUser(login: login) else {
      form.setError(field, l.pick("no user «\(login)»", "нет пользователя «\(login)»"))
      return nil
    }
    guard u.active else {
      form.setError(field, l.pick("is deactivated", "деактивирован"))
      return nil
    }
    return u.id
  }

  /// The change the fields describe; nil (with a message on the field) when they do not.
  func change() throws(CRMError) -> BulkChange? {
    let value = form.value("value")
    switch kind {
    case .owner:
      return try activeUser("value").map(BulkChange.setOwner)
    case .segment: return .setSegment(value)
    case .source: return .setSource(value)
    case .addTag, .removeTag:
      if value.trimmingSpaces().isEmpty {
        form.setError("value", l.pick("which tag?", "какой тег?"))
        return nil
      }
      return kind == .addTag ? .addTag(value) : .removeTag(value)
    case .contact:
      let s = context.contacts
      guard let k = ContactKind(text: form.value("kind")) else {
        form.setError(
          "kind",
          l.pick("one of: ", "одно из: ")
            + ContactKind.allCases.map { $0.name(l) }.joined(separator: ", "))
        return nil
      }
      guard
        let due = try readWhen(
          form.value("due"), context, field: s.fieldName("due"), followUp: true)
      else {
        form.setError("due", l.pick("when is it?", "когда?"))
        return nil
      }
      var assignee: Int64?
      if !form.value("user").trimmingSpaces().isEmpty {
        guard let u = try activeUser("user") else { return nil }
        assignee = u
      }
      return .planContact(
        BulkContactPlan(kind: k, dueAt: due, subject: form.value("subject"), assignee: assignee))
    }
  }

  override func submit(app: App) -> Bool {
    guard let userId = context.user?.id else {
      app.flash(l.pick("No acting user.", "Нет пользователя."), error: true)
      return false
    }
    let service = context.core.bulk
    return saving(app: app) { () throws(CRMError) -> Bool in
      guard let change = try change() else { return false }
      let count = try service.count(target)
      if count == 0 {
        app.flash(l.pick("No clients to change.", "Нет клиентов для изменения."), error: true)
        return true
      }
      let onApplied = self.onApplied
      let target = self.target
      app.ask(l.pick("Bulk change", "Массовое изменение"), BulkUpdateService.question(count, l)) {
        do {
          let result = try service.apply(target, change)
          onApplied(result)
        } catch { app.report(error) }
      }
      return true
    }
  }
}
