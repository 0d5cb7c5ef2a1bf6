import CRMCore
import Foundation
import TerminalUI

/// Short relative times as a manager reads them: "через 3 ч", "2 дн. назад", "сейчас".
enum Relative {
  static func text(_ seconds: TimeInterval, _ l: Language) -> String {
    let a = abs(seconds)
    let past = seconds < 0
    let amount: String
    if a < 60 {
      return l.pick("now", "сейчас")
    } else if a < 3600 {
      amount = l.pick("\(Int(a / 60)) min", "\(Int(a / 60)) мин")
    } else if a < 86400 {
      amount = l.pick("\(Int(a / 3600)) h", "\(Int(a / 3600)) ч")
    } else {
      amount = l.pick("\(Int(a / 86400)) d", "\(Int(a / 86400)) дн.")
    }
    return past
      ? l.pick("\(amount) ago", "\(amount) назад") : l.pick("in \(amount)", "через \(amount)")
  }
}

/// A length of time as a form shows it and reads it back: "15 мин", "1 ч 30 мин", "2 дн"
/// ("15 min", "1 h 30 min", "2 d"); `When.duration` reads every one of them.
enum Length {
  static func text(minutes: Int, _ l: Language) -> String {
    if minutes == 0 { return l.pick("0 min", "0 мин") }
    var parts: [String] = []
    var rest = minutes
    if rest % 1440 == 0 { return l.pick("\(rest / 1440) d", "\(rest / 1440) дн") }
    if rest >= 60 {
      parts.append(l.pick("\(rest / 60) h", "\(rest / 60) ч"))
      rest %= 60
    }
    if rest > 0 { parts.append(l.pick("\(rest) min", "\(rest) мин")) }
    return parts.joined(separator: " ")
  }

  /// The reminder's lead as the form shows it: "за 15 мин" ("15 min before").
  static func before(minutes: Int, _ l: Language) -> String {
    l.pick("\(text(minutes: minutes, l)) before", "за \(text(minutes: minutes, l))")
  }

  /// The lead typed back: "за 15 мин", "15 min before" or plain "15 мин" / "15m".
  static func strippingBefore(_ typed: String) -> String {
    var t = typed.trimmingSpaces()
    for prefix in ["за ", "За ", "ЗА "] where t.hasPrefix(prefix) {
      t = String(t.dropFirst(prefix.count)).trimmingSpaces()
    }
    for suffix in [" before", " Before", " BEFORE"] where t.hasSuffix(suffix) {
      t = String(t.dropLast(suffix.count)).trimmingSpaces()
    }
    return t
  }
}

/// Picks the kind of a contact with one key (c call, m meeting, l letter…), then hands over.
@MainActor
final class KindPickerScreen: Screen {
  let tab: Int
  let context: AppContext
  let title: String
  let onPick: (ContactKind, App) -> Void
  var capturesText: Bool { true }

  init(tab: Int, context: AppContext, title: String, onPick: @escaping (ContactKind, App) -> Void) {
    self.tab = tab
    self.context = context
    self.title = title
    self.onPick = onPick
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    canvas.put(top, 1, title, .bold, maxWidth: width - 2)
    canvas.put(
      top + 1, 1, l.pick("Which kind? Press its key:", "Какой вид? Нажмите клавишу:"), .dim)
    for (i, k) in ContactKind.allCases.enumerated() {
      let col = 3 + (i % 2) * 30
      let row = top + 3 + i / 2
      let next = canvas.put(row, col, String(k.key), Style(bold: true, reverse: true))
      canvas.put(row, next + 1, k.name(l))
    }
  }

  func handle(_ key: Key, app: App) {
    if case .char(let c) = KeyboardLayout.latin(key),
      let kind = ContactKind.allCases.first(where: { $0.key == c })
    {
      app.pop()
      onPick(kind, app)
      return
    }
    if key == .escape || KeyboardLayout.latin(key) == .char("q") {
      app.pop()
      app.flash(context.language.pick("Not logged.", "Ничего не записано."))
    }
  }
}

/// Reads a WHEN field: empty means none. A `followUp` (a contact being planned) lands a relative
/// day (`+3d`, `через 3 дня`) in working hours on a working day (`WorkingHours`); a `postpone`
/// keeps hours (`+2h`) within working hours too.
@MainActor
func readWhen(
  _ text: String, _ context: AppContext, field: String, followUp: Bool = false,
  postpone: Bool = false
) throws(CRMError) -> Date? {
  let t = text.trimmingSpaces()
  if t.isEmpty { return nil }
  let settings = (try? context.db.settings()) ?? Settings()
  return try When.parse(
    t, in: context.timeContext, language: context.language, field: field,
    defaultHour: settings.dayStartHour,
    hours: followUp || postpone
      ? WorkingHours(settings, timeZone: context.timeContext.timeZone) : nil,
    elapsedToo: postpone)
}

/// "Log contact" (a contact that just happened) and "done" (a planned one happened): the outcome,
/// notes, and an optional next contact planned in the same step.
@MainActor
final class OutcomeFormScreen: FormScreen {
  enum Mode {
    case log(clientId: Int64, kind: ContactKind, dealId: Int64? = nil)
    case done(ContactRow)
  }
  let mode: Mode
  let onSaved: () -> Void
  /// The outcomes offered for the outcome field: the user's recent ones, then the sales
  /// process's list (read once when the form opens).
  let suggestions: [PickItem]

  init(tab: Int, context: AppContext, mode: Mode, clientName: String, onSaved: @escaping () -> Void)
  {
    self.mode = mode
    self.onSaved = onSaved
    suggestions = Self.outcomeSuggestions(context)
    let l = context.language
    let s = context.contacts
    let kind: ContactKind
    let title: String
    switch mode {
    case .log(_, let k, _):
      kind = k
      title = l.pick("Log \(k.name(l)): ", "Записать \(k.name(l)): ") + clientName
    case .done(let row):
      kind = row.contact.kind
      title = l.pick("Done — \(kind.name(l)): ", "Выполнено — \(kind.name(l)): ") + clientName
    }
    let whenNote = l.pick(
      "empty = none; +3d, tomorrow 10:00, fri 15:00, 25.11 10:00",
      "пусто — нет; +3d, завтра 10:00, пт 15:00, 25.11 10:00")
    super.init(
      context: context,
      form: Form(
        title: title,
        fields: [
          FormField(
            key: "outcome", label: s.fieldName("outcome"),
            note: l.pick("what came of it; F4 — from the list", "чем закончилось; F4 — из списка")),
          FormField(key: "notes", label: s.fieldName("notes")),
          FormField(key: "next", label: s.fieldName("next"), note: whenNote),
          FormField(
            key: "next_kind", label: l.pick("Next: kind", "Следующий: вид"), value: kind.name(l),
            note: ContactKind.allCases.map { $0.name(l) }.joined(separator: ", ")),
          FormField(key: "next_subject", label: l.pick("Next: subject", "Следующий: тема")),
        ]), tab: tab)
  }

  override var cancelMessage: String {
    context.language.pick("Nothing logged.", "Ничего не записано.")
  }

  /// The user's recent distinct outcomes (what they write most, newest first), then the sales
  /// process's list in the user's language.
  static func outcomeSuggestions(_ context: AppContext) -> [PickItem] {
    let l = context.language
    let configured = ((try? context.pipelines.outcomes()) ?? []).map {
      PickItem(key: "c:" + $0.key, label: $0.name(l))
    }
    let known = Set(configured.map { TextFold.key($0.label) })
    let recent = ((try? context.contacts.recentOutcomes()) ?? []).filter {
      !known.contains(TextFold.key($0))
    }.enumerated().map {
      PickItem(key: "r:\($0.offset)", label: $0.element, detail: l.pick("recent", "недавний"))
    }
    return recent + configured
  }

  /// Suggestions whose text contains what is typed (all of them for an empty field).
  func matching(_ typed: String) -> [PickItem] {
    let k = TextFold.key(typed.trimmingSpaces())
    return k.isEmpty ? suggestions : suggestions.filter { TextFold.key($0.label).contains(k) }
  }

  var outcomeFocused: Bool {
    form.fields.indices.contains(form.focus) && form.fields[form.focus].key == "outcome"
  }

  override func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    warnings = []
    if outcomeFocused && !suggestions.isEmpty {
      let shown = matching(form.value("outcome"))
      if !shown.isEmpty {
        // The form keeps its title and five fields (seven rows); the list gets the rest.
        let room = max(0, min(8, rows - 10))
        warnings =
          [l.pick("F4 or ^O: choose from the list", "F4 или ^O — выбрать из списка")]
          + shown.prefix(room).map {
            "  " + $0.label + ($0.detail.isEmpty ? "" : " · " + $0.detail)
          }
        if shown.count > room && room > 0 { warnings.append(l.pick("  …and more", "  …и ещё")) }
      }
    }
    super.draw(&canvas, top: top, rows: rows, width: width)
  }

  override func handle(_ key: Key, app: App) {
    if outcomeFocused, keys.action(for: key) == .choose {
      chooseOutcome(app: app)
      return
    }
    super.handle(key, app: app)
  }

  /// The pick list of outcomes, filtered by what was typed; text that matches no entry exactly
  /// is offered as it is, so anything may still be written.
  func chooseOutcome(app: App) {
    let l = context.language
    let items = suggestions
    let picker = PickerScreen(
      tab: tab, context: context, title: form.title,
      prompt: l.pick(
        "Outcome: pick one, or type your own and Enter.",
        "Результат: выберите из списка или введите свой и нажмите Enter."),
      cancelMessage: l.pick("Outcome not chosen.", "Результат не выбран."),
      source: { [weak self] text, _ in
        let typed = text.trimmingSpaces()
        var found = self?.matching(typed) ?? []
        if !typed.isEmpty
          && !items.contains(where: { TextFold.key($0.label) == TextFold.key(typed) })
        {
          found.append(
            PickItem(key: "typed", label: typed, detail: l.pick("as typed", "свой текст")))
        }
        return found
      },
      onPick: { [weak self] item, _ in
        guard let self, let i = self.form.fields.firstIndex(where: { $0.key == "outcome" }) else {
          return
        }
        self.form.fields[i].input = TextInput(item.label)
        self.form.focus = min(i + 1, self.form.fields.count - 1)
      })
    picker.filter = TextInput(form.value("outcome"))
    app.push(picker)
  }

  override func submit(app: App) -> Bool {
    let s = context.contacts
    return saving(app: app) { () throws(CRMError) -> Bool in
      var next: ContactService.Next?
      if let at = try readWhen(
        form.value("next"), context, field: s.fieldName("next"), followUp: true)
      {
        guard let k = ContactKind(text: form.value("next_kind")) else {
          form.setError(
            "next_kind",
            l.pick("one of: ", "одно из: ")
              + ContactKind.allCases.map { $0.name(l) }.joined(separator: ", "))
          return false
        }
        next = .init(at: at, kind: k, subject: form.value("next_subject"))
      }
      let logged: ContactService.Logged
      switch mode {
      case .log(let clientId, let kind, let dealId):
        logged = try s.log(
          clientId: clientId, kind: kind, outcome: form.value("outcome"),
          notes: form.value("notes"), dealId: dealId, next: next)
      case .done(let row):
        logged = try s.complete(
          row.id, outcome: form.value("outcome"), notes: form.value("notes"), next: next)
      }
      var text =
        logged.closedPlanned
        ? l.pick("Marked done.", "Отмечено выполненным.") : l.pick("Logged.", "Записано.")
      if let n = next {
        text += l.pick(" Next: ", " Следующий: ") + context.formats.dateTime(n.at) + "."
      }
      if logged.recurringId != nil {
        text += l.pick(" The next repeat is planned.", " Следующий повтор запланирован.")
      }
      app.flash(text)
      onSaved()
      return true
    }
  }

}

/// Plans a new contact or edits one: kind, time, duration, subject, notes, responsible,
/// reminder and repeat.
@MainActor
final class ContactFormScreen: FormScreen, RecordForm {
  var contact: Contact
  let clientName: String
  let onSaved: () -> Void
  var base: Contact {
    get { contact }
    set { contact = newValue }
  }

  init(
    tab: Int, context: AppContext, contact c: Contact, clientName: String,
    onSaved: @escaping () -> Void
  ) {
    contact = c
    self.clientName = clientName
    self.onSaved = onSaved
    let l = context.language
    let s = context.contacts
    let f = context.formats
    let login = (try? context.db.users().first { $0.id == c.userId }?.login) ?? nil
    let remind: String = {
      guard let r = c.remindAt, let due = c.dueAt else { return "" }
      let before = Int(due.timeIntervalSince(r) / 60)
      return before >= 0 ? Length.before(minutes: before, l) : f.dateTime(r)
    }()
    let kinds = ContactKind.allCases.map { $0.name(l) }.joined(separator: ", ")
    super.init(
      context: context,
      form: Form(
        title: (c.id == nil
          ? l.pick("Plan a contact: ", "Запланировать контакт: ")
          : l.pick("Contact: ", "Контакт: ")) + clientName,
        fields: [
          FormField(key: "kind", label: s.fieldName("kind"), value: c.kind.name(l), note: kinds),
          FormField(
            key: "due", label: s.fieldName("due"), value: c.dueAt.map(f.dateTime) ?? "",
            note: l.pick(
              "+3d, tomorrow 10:00, fri 15:00, 25.11.2026 10:00",
              "+3d, завтра 10:00, пт 15:00, 25.11.2026 10:00")),
          FormField(
            key: "duration", label: s.fieldName("duration"),
            value: c.durationMinutes == 0 ? "" : Length.text(minutes: c.durationMinutes, l),
            note: l.pick("30 min, 1 h", "30 мин, 1 ч")),
          FormField(key: "subject", label: s.fieldName("subject"), value: c.subject),
          FormField(key: "notes", label: s.fieldName("notes"), value: c.notes),
          FormField(
            key: "user", label: s.fieldName("user"), value: login ?? "",
            note: l.pick("login", "логин")),
          FormField(
            key: "remind", label: s.fieldName("remind"), value: remind,
            note: l.pick(
              "15 min before, 1 h before, a time, or empty = default",
              "за 15 мин, за 1 ч, время или пусто — по умолчанию")),
          FormField(
            key: "repeat", label: s.fieldName("recurrence"), value: c.recurrence,
            note: l.pick("3d, 2w, 1m or empty", "3d, 2w, 1m или пусто")),
        ]), tab: tab)
  }

  override var cancelMessage: String {
    context.language.pick("Not saved.", "Не сохранено.")
  }

  override func submit(app: App) -> Bool {
    let s = context.contacts
    var c = contact
    do {
      guard let kind = ContactKind(text: form.value("kind")) else {
        form.setError(
          "kind",
          l.pick("one of: ", "одно из: ")
            + ContactKind.allCases.map { $0.name(l) }.joined(separator: ", "))
        return false
      }
      c.kind = kind
      guard
        let due = try readWhen(
          form.value("due"), context, field: s.fieldName("due"), followUp: true)
      else {
        form.setError("due", l.pick("when is it?", "когда?"))
        return false
      }
      let oldDue = c.dueAt
      c.dueAt = due
      let d = form.value("duration").trimmingSpaces()
      c.durationMinutes =
        d.isEmpty
        ? 0
        : Int(try When.duration(d, language: l, field: s.fieldName("duration")) / 60)
      c.subject = form.value("subject")
      c.notes = form.value("notes")
      let login = form.value("user").trimmingSpaces()
      if !login.isEmpty {
        guard let u = try context.db.findUser(login: login) else {
          form.setError("user", l.pick("no user «\(login)»", "нет пользователя «\(login)»"))
          return false
        }
        c.userId = u.id
      }
      let r = Length.strippingBefore(form.value("remind"))
      var remindDefault = false
      if r.isEmpty {
        if c.id == nil {
          c.remindAt = nil
          remindDefault = true
        } else if let old = contact.remindAt, let oldDue {
          c.remindAt = due.addingTimeInterval(old.timeIntervalSince(oldDue))
        }
      } else if let minutes = try? When.duration(r, language: l, field: s.fieldName("remind")) {
        c.remindAt = due.addingTimeInterval(-minutes)
      } else {
        c.remindAt = try readWhen(r, context, field: s.fieldName("remind"))
      }
      c.recurrence = form.value("repeat").trimmingSpaces()
      if c.id == nil {
        let id = try s.plan(c, remindDefault: remindDefault)
        app.flash(
          l.pick("Planned for ", "Запланировано на ") + context.formats.dateTime(due)
            + l.pick(", №\(id).", ", №\(id)."))
      } else {
        try s.update(c, base: contact)
        app.flash(l.pick("Saved.", "Сохранено."))
      }
      onSaved()
      return true
    } catch {
      let (s, id) = (context.contacts, contact.id ?? 0)
      return failedSave(
        error, mine: c, keys: Contact.editableKeys, app: app, save: { try s.update($0) },
        load: { try? s.contact(id)?.contact })
    }
  }

  func reopened(showing c: Contact) -> ContactFormScreen {
    ContactFormScreen(
      tab: tab, context: context, contact: c, clientName: clientName, onSaved: onSaved)
  }

  func saved() { onSaved() }

}

/// A form about one contact shown on the screen it came from (reminders, calendar, card).
@MainActor
class ContactRowForm: FormScreen {
  let row: ContactRow
  let onSaved: () -> Void

  init(tab: Int, context: AppContext, row: ContactRow, form: Form, onSaved: @escaping () -> Void) {
    self.row = row
    self.onSaved = onSaved
    super.init(context: context, form: form, tab: tab)
  }
}

/// Postpone: 1 = +1 hour, 2 = +1 day, 3 = +3 days, Enter = type a time.
@MainActor
final class PostponeScreen: ContactRowForm {
  init(tab: Int, context: AppContext, row: ContactRow, onSaved: @escaping () -> Void) {
    let l = context.language
    super.init(
      tab: tab, context: context, row: row,
      form: Form(
        title: l.pick("Postpone: ", "Перенести: ") + row.clientName,
        fields: [
          FormField(
            key: "to", label: l.pick("To", "На"),
            note: l.pick(
              "+1h, +1d, +3d, tomorrow 10:00, 25.11 15:00",
              "+1h, +1d, +3d, завтра 10:00, 25.11 15:00"))
        ]), onSaved: onSaved)
    warnings = [
      l.pick(
        "1 = +1 hour   2 = +1 day   3 = +3 days   Enter = type a time",
        "1 — +1 час   2 — +1 день   3 — +3 дня   Enter — ввести время")
    ]
  }

  /// Until Enter (or a key that is not 1–3), digits pick the quick choices.
  var typing = false

  override func handle(_ key: Key, app: App) {
    if !typing && key == .enter {
      typing = true
      warnings = []
      return
    }
    if !typing, case .char(let c) = key, let n = c.wholeNumberValue, (1...3).contains(n) {
      let now = context.db.clock.now()
      let from = max(now, row.contact.dueAt ?? .distantPast)
      let settings = (try? context.db.settings()) ?? Settings()
      let hours = WorkingHours(settings, timeZone: context.timeContext.timeZone)
      let target: Date
      switch n {
      case 1: target = hours.after(seconds: 3600, from: now)
      case 2: target = hours.after(days: 1, from: from)
      default: target = hours.after(days: 3, from: from)
      }
      save(target, app: app)
      return
    }
    if key != .escape {
      typing = true
      warnings = []
    }
    super.handle(key, app: app)
  }

  func save(_ target: Date, app: App) {
    do {
      try context.contacts.postpone(row.id, to: target)
      app.pop()
      app.flash(
        context.language.pick("Moved to ", "Перенесено на ") + context.formats.dateTime(target)
          + ".")
      onSaved()
    } catch { show(error, app: app) }
  }

  override func submit(app: App) -> Bool {
    do {
      guard
        let to = try readWhen(
          form.value("to"), context, field: "to", postpone: true)
      else { return false }
      try context.contacts.postpone(row.id, to: to)
      app.flash(
        context.language.pick("Moved to ", "Перенесено на ") + context.formats.dateTime(to) + ".")
      onSaved()
      return true
    } catch {
      if case .invalid(_, let problem) = error { form.setError("to", problem) }
      app.flash(error.message(context.language), error: true)
      return false
    }
  }
}

/// Gives a planned contact to another user.
@MainActor
final class ReassignScreen: ContactRowForm {
  init(tab: Int, context: AppContext, row: ContactRow, onSaved: @escaping () -> Void) {
    let l = context.language
    let logins = ((try? context.db.users()) ?? []).filter(\.active).map(\.login)
    super.init(
      tab: tab, context: context, row: row,
      form: Form(
        title: l.pick("Reassign: ", "Передать: ") + row.clientName,
        fields: [
          FormField(
            key: "user", label: l.pick("To user", "Кому"),
            note: logins.prefix(8).joined(separator: ", "))
        ]), onSaved: onSaved)
  }

  override func submit(app: App) -> Bool {
    let login = form.value("user").trimmingSpaces()
    do {
      guard let u = try context.db.findUser(login: login) else {
        form.setError("user", l.pick("no user «\(login)»", "нет пользователя «\(login)»"))
        return false
      }
      try context.contacts.reassign(row.id, to: u.id)
      app.flash(l.pick("Given to \(u.login).", "Передано: \(u.login)."))
      onSaved()
      return true
    } catch {
      if case .invalid(_, let problem) = error { form.setError("user", problem) }
      app.flash(error.message(l), error: true)
      return false
    }
  }
}

/// The outcome keys shared by the reminders and the calendar: done, no answer, postpone,
/// reassign, cancel, open.
@MainActor
enum ContactActions {
  /// Handles `action` on `row`; returns false when the action is not one of these.
  static func handle(
    _ action: Action?, row: ContactRow?, tab: Int, context: AppContext, app: App,
    changed: @escaping () -> Void
  ) -> Bool {
    let l = context.language
    guard let action else { return false }
    let needsPlanned: Set<Action> = [.done, .noAnswer, .postpone, .reassign, .delete]
    guard needsPlanned.contains(action) || action == .open || action == .edit else {
      return false
    }
    guard let row else {
      app.flash(l.pick("Nothing selected.", "Ничего не выбрано."))
      return true
    }
    if needsPlanned.contains(action) && row.contact.status != .planned {
      app.flash(
        l.pick(
          "This contact is already \(row.contact.status.name(l)).",
          "Этот контакт уже \(row.contact.status.name(l))."))
      return true
    }
    switch action {
    case .done:
      app.push(
        OutcomeFormScreen(
          tab: tab, context: context, mode: .done(row), clientName: row.clientName,
          onSaved: changed))
    case .noAnswer:
      do {
        let retry = try context.contacts.noAnswer(row.id)
        let at = try context.contacts.contact(retry)?.contact.dueAt
        app.flash(
          l.pick("No answer; next try ", "Не дозвонился; повтор ")
            + (at.map(context.formats.dateTime) ?? "") + ".")
        changed()
      } catch { app.report(error) }
    case .postpone:
      app.push(PostponeScreen(tab: tab, context: context, row: row, onSaved: changed))
    case .reassign:
      app.push(ReassignScreen(tab: tab, context: context, row: row, onSaved: changed))
    case .delete:
      app.ask(
        l.pick("Cancel contact", "Отмена контакта"),
        l.pick(
          "Cancel the \(row.contact.kind.name(l)) with \(Client.quoted(row.clientName))?",
          "Отменить «\(row.contact.kind.name(l))» с \(Client.quoted(row.clientName))?")
      ) {
        do {
          try context.contacts.cancel(row.id)
          app.flash(l.pick("Cancelled.", "Контакт отменён."))
          changed()
        } catch { app.report(error) }
      }
    case .edit:
      app.push(
        ContactFormScreen(
          tab: tab, context: context, contact: row.contact, clientName: row.clientName,
          onSaved: changed))
    case .open:
      app.push(ClientCardScreen(context: context, clientId: row.contact.clientId, list: nil))
    default:
      return false
    }
    return true
  }
}

/// The two ways into contacts from a client: log one that happened, or plan one.
@MainActor
enum ContactFlows {
  /// `l`: pick the kind with a second key, then the outcome form. `dealId` ties the contact
  /// (and a next one) to a deal.
  static func log(
    clientId: Int64, name: String, tab: Int, context: AppContext, app: App,
    dealId: Int64? = nil, changed: @escaping () -> Void
  ) {
    app.push(
      KindPickerScreen(
        tab: tab, context: context,
        title: context.language.pick("Log a contact: ", "Записать контакт: ") + name
      ) { kind, app in
        app.push(
          OutcomeFormScreen(
            tab: tab, context: context, mode: .log(clientId: clientId, kind: kind, dealId: dealId),
            clientName: name, onSaved: changed))
      })
  }

  /// `p`: the contact form, a call at the start of the next working day by default.
  static func plan(
    clientId: Int64, name: String, tab: Int, context: AppContext, app: App,
    dealId: Int64? = nil, changed: @escaping () -> Void
  ) {
    guard let me = context.user?.id else {
      app.flash(context.language.pick("No acting user.", "Нет пользователя."), error: true)
      return
    }
    let settings = (try? context.db.settings()) ?? Settings()
    let due = WorkingHours(settings, timeZone: context.timeContext.timeZone)
      .nextWorkingDayStart(after: context.db.clock.now())
    app.push(
      ContactFormScreen(
        tab: tab, context: context,
        contact: Contact(clientId: clientId, kind: .call, dueAt: due, userId: me, dealId: dealId),
        clientName: name, onSaved: changed))
  }
}

/// Hands clients over to another user: the selected client, the filtered list, or every client
/// of the selected client's owner. Their planned contacts move along; open deals optionally.
/// Asks first with the counts, then moves the clients in batches with a progress line; keys
/// typed meanwhile are dropped.
@MainActor
final class HandoverScreen: FormScreen {
  weak var list: ClientsScreen?
  let selected: ClientRow?
  /// Clients per transaction: the progress line moves after each batch (a second or two in a
  /// debug build on a busy machine).
  static let batch = 200

  init(context: AppContext, list: ClientsScreen, selected: ClientRow?) {
    self.list = list
    self.selected = selected
    let l = context.language
    let filtered = !list.query.isWholeList
    let logins = ((try? context.db.users()) ?? []).filter(\.active).map(\.login)
    super.init(
      context: context,
      form: Form(
        title: l.pick("Hand over clients", "Передача клиентов"),
        fields: [
          FormField(
            key: "to", label: l.pick("To user", "Кому"),
            note: logins.prefix(6).joined(separator: ", ")),
          FormField(
            key: "what", label: l.pick("What", "Что"),
            value: filtered ? l.pick("list", "список") : l.pick("client", "клиент"),
            note: l.pick(
              "client = the selected one, list = the filtered list, all = all of its owner's",
              "клиент — выбранного, список — отобранных, все — всех клиентов его владельца")),
          FormField(
            key: "deals", label: l.pick("With open deals", "С открытыми сделками"),
            value: l.pick("yes", "да"), note: l.pick("yes / no", "да / нет")),
        ]))
  }

  /// The clients to move, by their present owner (never the receiver), or a problem shown on
  /// the form.
  func plan(to: Int64) throws(CRMError) -> [Int64: [Int64]]? {
    guard let list else { return nil }
    let what = TextFold.key(form.value("what").trimmingSpaces())
    var byOwner: [Int64: [Int64]]
    switch what {
    case "client", "клиент", "":
      guard let r = selected, let o = try context.clients.client(r.id)?.ownerId else {
        form.setError("what", l.pick("the client has no owner", "у клиента нет владельца"))
        return nil
      }
      byOwner = [o: [r.id]]
    case "list", "список":
      byOwner = try context.db.clientsByOwner(try context.db.ids(list.query))
    case "all", "все", "всех":
      guard let r = selected, let o = try context.clients.client(r.id)?.ownerId else {
        form.setError("what", l.pick("the client has no owner", "у клиента нет владельца"))
        return nil
      }
      var q = ClientListQuery()
      q.ownerId = o
      byOwner = [o: try context.db.ids(q)]
    default:
      form.setError("what", l.pick("client, list or all", "клиент, список или все"))
      return nil
    }
    byOwner[to] = nil
    return byOwner
  }

  override func submit(app: App) -> Bool {
    let login = form.value("to").trimmingSpaces()
    let f = context.formats
    do {
      guard let to = try context.db.findUser(login: login) else {
        form.setError("to", l.pick("no user «\(login)»", "нет пользователя «\(login)»"))
        return false
      }
      let deals = TextFold.key(form.value("deals").trimmingSpaces())
      let withDeals: Bool
      switch deals {
      case "yes", "y", "да", "д", "": withDeals = true
      case "no", "n", "нет", "н": withDeals = false
      default:
        form.setError("deals", l.pick("yes or no", "да или нет"))
        return false
      }
      guard let byOwner = try plan(to: to.id) else { return false }
      var counts = HandoverResult(clients: 0, contacts: 0, deals: 0)
      for (owner, ids) in byOwner {
        let c = try context.contacts.handoverCounts(
          from: owner, clientIds: ids, withDeals: withDeals)
        counts.clients += c.clients
        counts.contacts += c.contacts
        counts.deals += c.deals
      }
      if counts.clients == 0 {
        form.setError(
          "what",
          l.pick(
            "nothing to hand over: no client of another owner",
            "передавать нечего: нет клиентов другого владельца"))
        return false
      }
      let users = (try? context.db.users()) ?? []
      let from = byOwner.keys.sorted().map { id in users.first { $0.id == id }?.login ?? "№\(id)" }
      var text = l.pick(
        "Hand over to \(to.login) \(f.integer(counts.clients)) clients of \(from.joined(separator: ", ")), \(f.integer(counts.contacts)) planned contacts",
        "Передать \(to.login) клиентов: \(f.integer(counts.clients)) (от \(from.joined(separator: ", "))), запланированных контактов: \(f.integer(counts.contacts))"
      )
      if withDeals {
        text += l.pick(
          ", \(f.integer(counts.deals)) open deals", ", открытых сделок: \(f.integer(counts.deals))"
        )
      }
      app.ask(l.pick("Hand over clients", "Передача клиентов"), text + "?") {
        [weak self, weak app] in
        guard let self, let app else { return }
        run(byOwner, to: to, total: counts.clients, withDeals: withDeals, app: app)
      }
      return false
    } catch {
      if case .invalid(_, let problem) = error { form.setError("to", problem) }
      app.flash(error.message(l), error: true)
      return false
    }
  }

  /// Moves the clients batch by batch, redrawing the progress line after each; then drops the
  /// keys typed meanwhile and reports what moved.
  func run(_ byOwner: [Int64: [Int64]], to: User, total: Int, withDeals: Bool, app: App) {
    let f = context.formats
    var moved = HandoverResult(clients: 0, contacts: 0, deals: 0)
    var done = 0
    func show() {
      warnings = [
        l.pick(
          "Handing over… \(f.integer(done)) of \(f.integer(total)) clients; keys pressed now are ignored",
          "Передача… \(f.integer(done)) из \(f.integer(total)) клиентов; нажатые сейчас клавиши не выполняются"
        )
      ]
      app.render()
    }
    show()
    do {
      for (owner, ids) in byOwner.sorted(by: { $0.key < $1.key }) {
        var start = 0
        while start < ids.count {
          let chunk = Array(ids[start..<min(ids.count, start + Self.batch)])
          let r = try context.contacts.handover(
            from: owner, to: to.id, clientIds: chunk, withDeals: withDeals)
          moved.clients += r.clients
          moved.contacts += r.contacts
          moved.deals += r.deals
          done += chunk.count
          start += chunk.count
          show()
        }
      }
      app.term.flushInput()
      warnings = []
      app.pop()
      report(moved, to: to.login, app: app)
    } catch {
      app.term.flushInput()
      warnings = []
      list?.reload()
      app.flash(
        error.message(l)
          + l.pick(
            " Handed over before the error: \(f.integer(moved.clients)) of \(f.integer(total)).",
            " До ошибки передано: \(f.integer(moved.clients)) из \(f.integer(total))."),
        error: true)
    }
  }

  func report(_ r: HandoverResult, to login: String, app: App) {
    let f = context.formats
    app.flash(
      l.pick(
        "Handed over to \(login): \(f.integer(r.clients)) clients, \(f.integer(r.contacts)) planned contacts, \(f.integer(r.deals)) deals.",
        "Передано \(login): клиентов \(f.integer(r.clients)), запланированных контактов \(f.integer(r.contacts)), сделок \(f.integer(r.deals))."
      ))
    list?.reload()
  }
}
