import CRMCore
import Foundation
import TerminalUI

/// Quick add (name and phone suffice) and the full edit form of a client.
@MainActor
final class ClientFormScreen: FormScreen, RecordForm {
  var client: Client
  weak var list: ClientsScreen?
  var base: Client {
    get { client }
    set { client = newValue }
  }
  /// The client as checked when likely duplicates were last shown (name, form, ИНН, phones,
  /// e-mails) and which they were: ^S again saves anyway; a change to any of those fields is
  /// checked again and warns again while duplicates are found.
  var duplicatesShown: (identity: [String], ids: Set<Int64>)?
  /// Told the client's id after a save (the list notes the change as its own for `u`).
  var onSaved: ((Int64) -> Void)?

  init(context: AppContext, client: Client, form: Form, list: ClientsScreen?) {
    self.client = client
    self.list = list
    super.init(context: context, form: form)
  }

  static func parseKind(_ s: String) -> ClientKind? {
    let v = TextFold.key(s.trimmingSpaces())
    if v.isEmpty || v.hasPrefix("c") || v.hasPrefix("о") || v.hasPrefix("к") { return .company }
    if v.hasPrefix("p") || v.hasPrefix("ф") || v.hasPrefix("и") || v.hasPrefix("ч") {
      return .person
    }
    return nil
  }

  static func add(context: AppContext, list: ClientsScreen?) -> ClientFormScreen {
    let v = context.clients.validator
    let l = context.language
    let form = Form(
      title: l.pick("New client", "Новый клиент"),
      fields: [
        FormField(key: "name", label: v.fieldName("name"), note: l.pick("required", "обязательно")),
        FormField(key: "phones", label: v.fieldName("phones"), note: "+7 495 123-45-67"),
        FormField(
          key: "kind", label: v.fieldName("kind"), value: ClientKind.company.name(l),
          note: l.pick("company or person", "организация или физлицо")),
        FormField(
          key: "legal_form", label: v.fieldName("legal_form"),
          note: l.pick("ООО, АО, ИП…", "ООО, АО, ИП…")),
        FormField(key: "inn", label: v.fieldName("inn")),
        FormField(key: "emails", label: v.fieldName("emails")),
        FormField(key: "city", label: v.fieldName("city")),
      ])
    return ClientFormScreen(context: context, client: Client(name: ""), form: form, list: list)
  }

  static func edit(context: AppContext, client c: Client, list: ClientsScreen?) -> ClientFormScreen
  {
    let v = context.clients.validator
    let l = context.language
    let a = c.bankAccounts.first ?? BankAccount()
    let owner = (try? context.db.users().first { $0.id == c.ownerId }?.login) ?? nil
    func f(_ key: String, _ value: String, _ note: String? = nil) -> FormField {
      FormField(key: key, label: v.fieldName(key), value: value, note: note)
    }
    let listNote = l.pick("comma-separated", "через запятую")
    let form = Form(
      title: l.pick("Edit: ", "Изменение: ") + c.displayName,
      fields: [
        f("name", c.name), f("kind", c.kind.name(l)), f("legal_form", c.legalForm),
        f("inn", c.inn), f("kpp", c.kpp), f("ogrn", c.ogrn),
        f("phones", c.phones.map(\.raw).joined(separator: ", "), listNote),
        f("emails", c.emails.joined(separator: ", "), listNote), f("website", c.website),
        f("city", c.city), f("legal_address", c.legalAddress), f("actual_address", c.actualAddress),
        f("postal_address", c.postalAddress), f("bik", a.bik), f("account", a.account),
        f("corr_account", a.corrAccount), f("bank_name", a.bankName), f("segment", c.segment),
        f("lead_source", c.leadSource), f("owner", owner ?? "", l.pick("login", "логин")),
        f("tags", c.tags.joined(separator: ", "), listNote), f("notes", c.notes),
      ])
    return ClientFormScreen(context: context, client: c, form: form, list: list)
  }

  /// The client as the form now describes it.
  func edited() throws(CRMError) -> Client {
    var c = client
    let v = context.clients.validator
    for field in form.fields {
      let value = field.input.text
      switch field.key {
      case "name": c.name = value
      case "kind":
        guard let k = Self.parseKind(value) else {
          throw .invalid(
            field: v.fieldName("kind"),
            problem: l.pick("company or person", "организация или физлицо"))
        }
        c.kind = k
      case "legal_form": c.legalForm = value
      case "inn": c.inn = value
      case "kpp": c.kpp = value
      case "ogrn": c.ogrn = value
      case "phones": c.phones = Self.list(value).map(Phone.init)
      case "emails": c.emails = Self.list(value)
      case "website": c.website = value
      case "city": c.city = value
      case "legal_address": c.legalAddress = value
      case "actual_address": c.actualAddress = value
      case "postal_address": c.postalAddress = value
      case "segment": c.segment = value
      case "lead_source": c.leadSource = value
      case "tags": c.tags = Self.list(value)
      case "notes": c.notes = value
      case "owner":
        let login = value.trimmingSpaces()
        if login.isEmpty {
          c.ownerId = nil
        } else {
          guard let u = try context.db.users().first(where: { $0.login == login }) else {
            throw .invalid(
              field: v.fieldName("owner"),
              problem: l.pick("no user «\(login)»", "нет пользователя «\(login)»"))
          }
          c.ownerId = u.id
        }
      default: break
      }
    }
    if form.fields.contains(where: { $0.key == "bik" }) {
      var a = c.bankAccounts.first ?? BankAccount()
      a.bik = form.value("bik")
      a.account = form.value("account")
      a.corrAccount = form.value("corr_account")
      a.bankName = form.value("bank_name")
      if c.bankAccounts.isEmpty { c.bankAccounts = [a] } else { c.bankAccounts[0] = a }
    }
    return c
  }

  override func submit(app: App) -> Bool {
    do {
      let c = try edited()
      let checked = try context.clients.validator.client(c)
      // Checked on every save of a new client, and of a client whose name, ИНН, phones or
      // e-mails changed, by the engine and bar of `crm dedupe`.
      let identity = { (x: Client) in [x.name, x.legalForm, x.inn] + x.phones.map(\.raw) + x.emails
      }
      if c.id == nil || identity(checked) != identity(client) {
        let dups = try context.clients.likelyDuplicates(of: checked)
        let ids = Set(dups.map(\.id))
        if dups.isEmpty {
          duplicatesShown = nil
          warnings = []
        } else if let shown = duplicatesShown, shown.identity == identity(checked),
          ids.isSubset(of: shown.ids)
        {
          // Seen and confirmed with ^S: saved anyway.
        } else {
          duplicatesShown = (identity(checked), ids)
          warnings =
            [l.pick("This client may already exist:", "Возможно, такой клиент уже есть:")]
            + dups.map { d in
              let why: String
              switch d.reason {
              case .inn: why = l.pick("same INN", "тот же ИНН")
              case .phone: why = l.pick("same phone", "тот же телефон")
              case .email: why = l.pick("same e-mail", "тот же e-mail")
              case .name: why = l.pick("similar name", "похожее название")
              }
              return "  №\(d.id) \(d.name) — \(why)"
            } + [l.pick("^S saves anyway, Esc cancels.", "^S — всё равно сохранить, Esc — отмена.")]
          form.setError(nil, nil)
          return false
        }
      }
      if c.id == nil {
        let id = try context.clients.add(c)
        onSaved?(id)
        app.flash(
          l.pick(
            "Client «\(checked.name)» added, №\(id).",
            "Клиент «\(checked.name)» добавлен, №\(id)."))
        list?.select(clientId: id)
        return true
      } else {
        // The client as the form loaded it is the base: a change meanwhile to other fields is
        // merged; to the same ones it is a conflict, shown side by side.
        try context.clients.update(c, base: client)
        if let id = c.id { onSaved?(id) }
        app.flash(l.pick("Saved.", "Сохранено."))
      }
      list?.reload()
      return true
    } catch {
      let (clients, id) = (context.clients, client.id ?? 0)
      return failedSave(
        error, mine: try? edited(), keys: Client.editableKeys, app: app,
        save: { try clients.update($0) }, load: { try? clients.client(id) })
    }
  }

  func reopened(showing c: Client) -> ClientFormScreen {
    Self.edit(context: context, client: c, list: list)
  }

  func saved() { list?.reload() }
}

/// Add or edit a contact person.
@MainActor
final class PersonFormScreen: FormScreen, RecordForm {
  var person: ContactPerson
  let onSaved: () -> Void
  var base: ContactPerson {
    get { person }
    set { person = newValue }
  }

  init(context: AppContext, person p: ContactPerson, onSaved: @escaping () -> Void) {
    let v = context.clients.validator
    let l = context.language
    func f(_ key: String, _ value: String, _ note: String? = nil) -> FormField {
      FormField(key: key, label: v.personFieldName(key), value: value, note: note)
    }
    let listNote = l.pick("comma-separated", "через запятую")
    person = p
    self.onSaved = onSaved
    super.init(
      context: context,
      form: Form(
        title: p.id == nil
          ? l.pick("New contact person", "Новое контактное лицо")
          : l.pick("Contact person: ", "Контактное лицо: ") + p.name,
        fields: [
          f("name", p.name, l.pick("required", "обязательно")), f("position", p.position),
          f("phones", p.phones.map(\.raw).joined(separator: ", "), listNote),
          f("emails", p.emails.joined(separator: ", "), listNote),
          f("birthday", context.formats.day(p.birthday), context.formats.dayPattern),
          f("notes", p.notes),
        ]))
  }

  override func submit(app: App) -> Bool {
    var p = person
    p.name = form.value("name")
    p.position = form.value("position")
    p.phones = Self.list(form.value("phones")).map(Phone.init)
    p.emails = Self.list(form.value("emails"))
    let birthday = form.value("birthday")
    p.birthday = Formats.parseDay(birthday) ?? birthday
    p.notes = form.value("notes")
    do {
      if p.id == nil {
        try context.clients.addPerson(p)
      } else {
        try context.clients.updatePerson(p, base: person)
      }
      app.flash(context.language.pick("Saved.", "Сохранено."))
      onSaved()
      return true
    } catch {
      let (clients, id) = (context.clients, person.id ?? 0)
      return failedSave(
        error, mine: p, keys: ContactPerson.editableKeys, app: app,
        save: { try clients.updatePerson($0) }, load: { try? clients.person(id) })
    }
  }

  func reopened(showing p: ContactPerson) -> PersonFormScreen {
    PersonFormScreen(context: context, person: p, onSaved: onSaved)
  }

  func saved() { onSaved() }
}

/// Filter the list by segment, owner and tag; an empty field means any.
@MainActor
final class FilterScreen: FormScreen {
  weak var list: ClientsScreen?

  init(context: AppContext, list: ClientsScreen) {
    self.list = list
    let l = context.language
    let v = context.clients.validator
    let q = list.query
    let owner = q.ownerId.flatMap { id in (try? context.db.users())?.first { $0.id == id }?.login }
    let segments = (try? context.db.segments()) ?? []
    let tags = ((try? context.db.tags()) ?? []).prefix(8).map(\.tag)
    super.init(
      context: context,
      form: Form(
        title: l.pick("Filter (empty = any)", "Фильтр (пусто — любой)"),
        fields: [
          FormField(
            key: "segment", label: v.fieldName("segment"), value: q.segment ?? "",
            note: segments.joined(separator: ", ")),
          FormField(
            key: "owner", label: v.fieldName("owner"), value: owner ?? "",
            note: l.pick("name/login", "имя/логин")),
          FormField(
            key: "tags", label: v.fieldName("tags"), value: q.tag ?? "",
            note: tags.joined(separator: ", ")),
          // Team work: save the filter (with the list's search) under a name, e.g. a campaign's
          // target (SavedFilters.swift).
          FormField(
            key: "save", label: l.pick("Save as", "Сохранить как"), value: "",
            note: l.pick("a name for crm filter / campaigns", "имя для crm filter / кампаний")),
        ]))
  }

  override var cancelMessage: String {
    context.language.pick("Filter unchanged.", "Фильтр не изменён.")
  }

  override func submit(app: App) -> Bool {
    let segment = form.value("segment").trimmingSpaces()
    let login = form.value("owner").trimmingSpaces()
    let tag = form.value("tags").trimmingSpaces()
    var ownerId: Int64?
    var ownerLogin: String?
    if !login.isEmpty {
      guard let u = namedUser(login, field: "owner") else { return false }
      ownerId = u.id
      ownerLogin = u.login
    }
    let name = form.value("save").trimmingSpaces()
    if !name.isEmpty {
      let filter = ClientFilter(
        search: list?.query.search ?? "", segment: segment.isEmpty ? nil : segment,
        owner: ownerLogin, tag: tag.isEmpty ? nil : tag)
      do {
        try context.core.filters
          .save(name, filter, replace: true)
        app.flash(l.pick("Filter saved: ", "Фильтр сохранён: ") + name)
      } catch {
        form.setError("save", error.message(l))
        return false
      }
    }
    list?.setFilters(
      segment: segment.isEmpty ? nil : segment, ownerId: ownerId, tag: tag.isEmpty ? nil : tag)
    return true
  }
}
