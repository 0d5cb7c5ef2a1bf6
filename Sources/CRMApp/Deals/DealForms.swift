import CRMCore
import Foundation
import TerminalUI

/// The key of the list entry `text` names: its key or name exactly, or the only entry whose
/// name (in the user's language) starts with it. Nil for empty text; the text itself when
/// nothing matches, so the core's message lists the entries.
func choiceKey(_ text: String, in choices: [Choice], _ l: Language) -> String? {
  let t = text.trimmingSpaces()
  if t.isEmpty { return nil }
  if let c = choices.first(where: { $0.matches(t) }) { return c.key }
  let k = TextFold.key(t)
  let starting = choices.filter {
    TextFold.key($0.name(l)).hasPrefix(k) || TextFold.key($0.name).hasPrefix(k)
  }
  return starting.count == 1 ? starting[0].key : t
}

/// Add or edit a deal: title, amount and currency, probability, lead source, expected close,
/// contact person, owner, notes.
@MainActor
final class DealFormScreen: FormScreen, RecordForm {
  var deal: Deal
  let clientName: String
  let onSaved: () -> Void
  var base: Deal {
    get { deal }
    set { deal = newValue }
  }
  let sources: [Choice]
  let persons: [ContactPerson]

  init(
    tab: Int, context: AppContext, deal d: Deal, clientName: String,
    onSaved: @escaping () -> Void
  ) {
    deal = d
    self.clientName = clientName
    self.onSaved = onSaved
    let l = context.language
    let s = context.deals
    let sources = DealFilterScreen.leadSources(context)
    let persons = Self.persons(context, d.clientId)
    self.sources = sources
    self.persons = persons
    let owner =
      d.ownerId == 0
      ? context.user?.login ?? ""
      : Self.login(context, d.ownerId)
    let source = sources.first { $0.key == d.source }?.name(l) ?? d.source
    let person = persons.first { $0.id == d.personId }?.name ?? ""
    func f(_ key: String, _ value: String, _ note: String? = nil) -> FormField {
      FormField(key: key, label: s.fieldName(key), value: value, note: note)
    }
    super.init(
      context: context,
      form: Form(
        title: (d.id == nil
          ? l.pick("New deal: ", "Новая сделка: ")
          : l.pick("Deal №\(d.id!): ", "Сделка №\(d.id!): ")) + clientName,
        fields: [
          f("title", d.title, l.pick("required", "обязательно")),
          f(
            "amount", d.amount == 0 ? "" : d.money.plain,
            l.pick("1000, 12 500.50", "1000, 12 500,50")),
          f("currency", d.currency, "RUB, USD, EUR, CNY…"),
          f(
            "probability", d.probability.map(String.init) ?? "",
            l.pick("0–100; empty = the stage's", "0–100; пусто — по этапу")),
          f("source", source, l.pick("from the list below", "из списка внизу")),
          f(
            "expected_close", context.formats.day(d.expectedClose),
            l.pick("2026-12-31, +30d", "31.12.2026, +30d")),
          f(
            "person", person,
            persons.isEmpty
              ? l.pick("the client has no persons", "у клиента нет лиц")
              : persons.prefix(6).map(\.name).joined(separator: ", ")),
          f("owner", owner, l.pick("login", "логин")),
          f("notes", d.notes),
        ]), tab: tab)
  }

  /// The lead sources do not fit beside their field: they are listed under the form.
  override func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    // Two lines at most, broken between entries.
    var lines = [l.pick("Lead sources: ", "Источники: ")]
    for (i, name) in sources.map({ $0.name(l) }).enumerated() {
      let piece = name + (i < sources.count - 1 ? ", " : "")
      if TextWidth.of(lines[lines.count - 1] + piece) > width - 2 && lines.count < 2 {
        lines.append("")
      }
      lines[lines.count - 1] += piece
    }
    super.draw(&canvas, top: top, rows: max(1, rows - 3), width: width)
    if rows > 7 && !sources.isEmpty {
      for (i, line) in lines.enumerated() {
        canvas.put(top + rows - 2 + i, 1, line, .dim, maxWidth: width - 2)
      }
    }
  }

  override func submit(app: App) -> Bool {
    let s = context.deals
    var d = deal
    do {
      d.title = form.value("title")
      let code = form.value("currency").trimmingSpaces()
      let currency = try Currency.parse(
        code.isEmpty ? "RUB" : code, language: l, field: s.fieldName("currency"))
      d.currency = currency.code
      let amount = form.value("amount").trimmingSpaces()
      d.amount =
        amount.isEmpty
        ? 0
        : try Money.parse(amount, currency: currency, language: l, field: s.fieldName("amount"))
          .minor
      let p = form.value("probability").trimmingSpaces().replacingOccurrences(of: "%", with: "")
        .trimmingSpaces()
      if p.isEmpty {
        d.probability = nil
      } else {
        guard let n = Int(p), (0...100).contains(n) else {
          form.setError("probability", l.pick("a number 0–100", "число от 0 до 100"))
          return false
        }
        d.probability = n
      }
      d.source = choiceKey(form.value("source"), in: sources, l) ?? ""
      d.expectedClose = form.value("expected_close")
      let person = TextFold.key(form.value("person").trimmingSpaces())
      if person.isEmpty {
        d.personId = nil
      } else {
        let found =
          persons.filter { TextFold.key($0.name) == person }.first.map { [$0] }
          ?? persons.filter { TextFold.key($0.name).contains(person) }
        guard found.count == 1 else {
          form.setError(
            "person",
            found.isEmpty
              ? l.pick("no such person at the client", "у клиента нет такого лица")
              : l.pick("several match; type more", "подходят несколько; уточните"))
          return false
        }
        d.personId = found[0].id
      }
      let login = form.value("owner").trimmingSpaces()
      if !login.isEmpty {
        guard let u = try context.db.findUser(login: login) else {
          form.setError("owner", l.pick("no user «\(login)»", "нет пользователя «\(login)»"))
          return false
        }
        d.ownerId = u.id
      }
      d.notes = form.value("notes")
      if d.id == nil {
        let id = try s.add(d)
        app.flash(
          l.pick("Deal «\(d.title)» added, №\(id).", "Сделка «\(d.title)» добавлена, №\(id)."))
      } else {
        try s.update(d, base: deal)
        app.flash(l.pick("Saved.", "Сохранено."))
      }
      onSaved()
      return true
    } catch {
      let (s, id) = (context.deals, deal.id ?? 0)
      return failedSave(
        error, mine: d, keys: Deal.editableKeys, app: app, save: { try s.update($0) },
        load: { try? s.deal(id)?.deal })
    }
  }

  func reopened(showing d: Deal) -> DealFormScreen {
    DealFormScreen(tab: tab, context: context, deal: d, clientName: clientName, onSaved: onSaved)
  }

  func saved() { onSaved() }
}

/// The funnel's filter: whose deals (mine, everyone's, a login), created from / to, lead source.
@MainActor
final class DealFilterScreen: FormScreen {
  let sources: [Choice]
  let apply: (DealFilter) -> Void

  init(context: AppContext, filter: DealFilter, apply: @escaping (DealFilter) -> Void) {
    self.apply = apply
    let l = context.language
    let s = context.deals
    let f = context.formats
    // Read outside the initializer's own body: `try?` on typed throws before `super.init`
    // crashed the 6.3.1 optimizer (SIL verifier, release builds only).
    let sources = Self.leadSources(context)
    self.sources = sources
    let owner = Self.ownerText(context, filter)
    let cal = context.timeContext.calendar
    let to = filter.to.map { f.date(CalendarMath.addDays($0, -1, cal)) } ?? ""
    super.init(
      context: context,
      form: Form(
        title: l.pick("Funnel filter (empty = any)", "Фильтр воронки (пусто — любой)"),
        fields: [
          FormField(
            key: "owner", label: s.fieldName("owner"), value: owner,
            note: l.pick("mine/all/name", "мои/все/имя")),
          FormField(
            key: "from", label: l.pick("Created from", "Создана с"),
            value: filter.from.map(f.date) ?? "", note: l.pick("a date", "дата")),
          FormField(
            key: "to", label: l.pick("Created to", "Создана по"), value: to,
            note: l.pick("a date, inclusive", "дата включительно")),
          FormField(
            key: "source", label: s.fieldName("source"),
            value: sources.first { $0.key == filter.source }?.name(l) ?? filter.source ?? "",
            note: sources.map { $0.name(l) }.joined(separator: ", ")),
        ]), tab: 4)
  }

  static func leadSources(_ context: AppContext) -> [Choice] {
    do { return try context.pipelines.leadSources() } catch { return [] }
  }

  static func ownerText(_ context: AppContext, _ filter: DealFilter) -> String {
    let l = context.language
    if filter.ownerId == nil { return l.pick("everyone", "все") }
    if filter.ownerId == context.user?.id { return l.pick("mine", "мои") }
    return filter.ownerId.map { DealFormScreen.login(context, $0) } ?? ""
  }

  override var cancelMessage: String {
    context.language.pick("Filter unchanged.", "Фильтр не изменён.")
  }

  override func submit(app: App) -> Bool {
    var filter = DealFilter()
    let owner = TextFold.key(form.value("owner").trimmingSpaces())
    do {
      switch owner {
      case "", "все", "all", "everyone", "*": filter.ownerId = nil
      case "мои", "мой", "mine", "me", "my": filter.ownerId = context.user?.id
      default:
        guard let u = namedUser(form.value("owner"), field: "owner") else { return false }
        filter.ownerId = u.id
      }
      let cal = context.timeContext.calendar
      if let from = try readWhen(form.value("from"), context, field: "from") {
        filter.from = CalendarMath.startOfDay(from, cal)
      }
      if let to = try readWhen(form.value("to"), context, field: "to") {
        filter.to = CalendarMath.addDays(CalendarMath.startOfDay(to, cal), 1, cal)
      }
      if let key = choiceKey(form.value("source"), in: sources, l) {
        guard sources.contains(where: { $0.key == key }) else {
          form.setError(
            "source",
            l.pick("one of: ", "одно из: ") + sources.map { $0.name(l) }.joined(separator: ", "))
          return false
        }
        filter.source = key
      }
    } catch {
      if case .invalid(let field, let problem) = error {
        form.setError(field == "to" ? "to" : field == "from" ? "from" : nil, problem)
      }
      app.flash(error.message(l), error: true)
      return false
    }
    apply(filter)
    return true
  }
}

extension DealFormScreen {
  static func login(_ context: AppContext, _ id: Int64) -> String {
    do { return try context.db.users().first { $0.id == id }?.login ?? "" } catch { return "" }
  }

  static func persons(_ context: AppContext, _ clientId: Int64) -> [ContactPerson] {
    do { return try context.clients.persons(of: clientId) } catch { return [] }
  }
}
