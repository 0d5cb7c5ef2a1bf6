import CRMCore
import Foundation
import TerminalUI

/// Our legal entities (`r` from the activity screen): one line each (the default marked «*»,
/// the ИНН, what keeps an invoice from printing), then every requisite of the selected one.
/// Admins add (`n`), edit (Enter), make default (`d`) and remove (`x`); anyone else is told who
/// the admin is.
@MainActor
public final class CompanyScreen: ListScreen {
  public let tab = 5
  public let context: AppContext
  public private(set) var rows: [LegalEntity] = []
  var list = ListState()
  var stale = true

  public init(context: AppContext) { self.context = context }

  public func dataChanged() { stale = true }

  var service: CompanyService { context.core.companies }
  var isAdmin: Bool { context.user?.role == .admin }

  func readRows() throws { rows = try service.list() }
  func forgetRows() { rows = [] }
  var rowCount: Int { rows.count }
  var selected: LegalEntity? { rows.indices.contains(list.selected) ? rows[list.selected] : nil }

  /// «Реквизиты меняет администратор: Анна Смирнова (anna).»
  var whoCanChange: String {
    let who = (try? service.whoCanSet()) ?? l.pick("an administrator", "администратор")
    return l.pick("Requisites are changed by ", "Реквизиты меняет ") + who + "."
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    refresh(app: nil)
    let col = canvas.put(top, 1, l.pick("Our requisites", "Наши реквизиты"), .bold)
    canvas.put(
      top, col, " · " + context.formats.integer(rows.count), .dim,
      maxWidth: max(0, width - col - 1))
    if rows.isEmpty {
      let hint =
        isAdmin
        ? l.pick(
          "No requisites yet: invoices, acts and offers cannot be printed. n: add our company.",
          "Реквизитов пока нет: счета, акты и КП не напечатать. n — добавить нашу организацию.")
        : l.pick("No requisites yet. ", "Реквизитов пока нет. ") + whoCanChange
      for (i, line) in wrap(hint, width: max(10, width - 4)).enumerated() where i < height - 2 {
        canvas.notice(top + 2 + i, line, width: width)
      }
      return
    }
    let v = LegalEntityValidator(language: l)
    // The list takes at most a third of the screen; the selected entity's fields the rest.
    list.visible = max(1, min(rows.count, (height - 2) / 3))
    list.clamp()
    var r = top + 1
    var index = list.top
    while index < rows.count && r < top + 1 + list.visible {
      let e = rows[index]
      let missing = v.missing(e, for: .invoice).map(v.fieldName)
      let state =
        missing.isEmpty
        ? l.pick("invoice: ready", "счёт: готово")
        : l.pick("missing: ", "не хватает: ") + missing.joined(separator: ", ")
      let name = e.shortName.isEmpty ? e.fullName : e.shortName
      let line =
        (e.isDefault ? "* " : "  ") + TextWidth.fit(name, to: 30) + " "
        + TextWidth.fit(e.inn, to: 12) + " " + state
      var style = missing.isEmpty ? Style.plain : Style(color: .yellow)
      if index == list.selected { style.reverse = true }
      canvas.fill(r, 0, width: width, style)
      canvas.put(r, 1, TextWidth.fit(line, to: max(1, width - 2)), style)
      r += 1
      index += 1
    }
    guard let e = selected else { return }
    r += 1
    var lines: [String] = []
    for f in CompanyService.fields {
      var value = CompanyService.value(e, f)
      if f == "kind" {
        value =
          e.kind == .organization
          ? l.pick("organization", "организация") : l.pick("entrepreneur (ИП)", "ИП")
      }
      guard !value.isEmpty else { continue }
      let name = f == "ogrn" && e.kind == .entrepreneur ? v.fieldName("ogrnip") : v.fieldName(f)
      lines.append(name + ": " + value.replacingOccurrences(of: "\n", with: " / "))
    }
    var images: [String] = []
    if e.logoPNG != nil { images.append(CompanyService.Image.logo.name(l)) }
    if e.stampPNG != nil { images.append(CompanyService.Image.stamp.name(l)) }
    if e.directorSignaturePNG != nil {
      images.append(CompanyService.Image.directorSignature.name(l))
    }
    if e.accountantSignaturePNG != nil {
      images.append(CompanyService.Image.accountantSignature.name(l))
    }
    lines.append(
      l.pick("Images: ", "Картинки: ")
        + (images.isEmpty
          ? l.pick("none (crm company image)", "нет (crm company image)")
          : images.joined(separator: ", ")))
    for line in lines where r < top + height {
      canvas.put(r, 1, TextWidth.fit(line, to: max(1, width - 2)), .plain)
      r += 1
    }
  }

  public func handle(_ key: Key, app: App) {
    guard let action = listAction(key, app: app) else { return }
    switch action {
    case .add:
      guard admin(app) else { return }
      app.push(
        CompanyFormScreen.make(context: context, entity: nil) { [weak self] in self?.stale = true })
    case .edit, .open:
      guard let e = selected, admin(app) else { return }
      app.push(
        CompanyFormScreen.make(context: context, entity: e) { [weak self] in self?.stale = true })
    case .makeDefault:
      guard let e = selected, let id = e.id, admin(app) else { return }
      do {
        try service.setDefault(id)
        app.flash(
          l.pick("Default: ", "Основное: ") + (e.shortName.isEmpty ? e.fullName : e.shortName))
        stale = true
      } catch { app.report(error) }
    case .delete:
      guard let e = selected, let id = e.id, admin(app) else { return }
      let name = e.shortName.isEmpty ? e.fullName : e.shortName
      app.ask(l.pick("Remove the entity?", "Удалить юрлицо?"), name) { [weak self] in
        guard let self else { return }
        do {
          try self.service.remove(id)
          app.flash(l.pick("Removed: ", "Удалено: ") + name)
          self.stale = true
        } catch { app.report(error) }
      }
    default:
      break
    }
  }

  /// True for an admin; anyone else is told who the admin is.
  func admin(_ app: App) -> Bool {
    if isAdmin { return true }
    app.flash(whoCanChange, error: true)
    return false
  }
}

/// The admin's form of one legal entity: every text requisite, checked by the core on ^S (the
/// field at fault is marked with the reason).
final class CompanyFormScreen: FormScreen {
  let entity: LegalEntity
  let onSaved: () -> Void

  init(context: AppContext, form: Form, entity: LegalEntity, onSaved: @escaping () -> Void) {
    self.entity = entity
    self.onSaved = onSaved
    super.init(context: context, form: form, tab: 5)
  }

  static func make(context: AppContext, entity: LegalEntity?, onSaved: @escaping () -> Void)
    -> CompanyFormScreen
  {
    let l = context.language
    let v = LegalEntityValidator(language: l)
    let e = entity ?? LegalEntity(directorTitle: l.pick("Director", "Генеральный директор"))
    let notes: [String: String] = [
      "kind": l.pick("organization or entrepreneur", "organization (ООО) или entrepreneur (ИП)"),
      "inn": l.pick("10 digits; 12 for an ИП", "10 цифр; 12 у ИП"),
      "ogrn": l.pick("13 digits; ОГРНИП 15", "13 цифр; ОГРНИП 15"),
      "bik": l.pick("9 digits", "9 цифр"),
      "corr_account": l.pick("20 digits, 301…", "20 цифр, 301…"),
      "account": l.pick("20 digits, keyed to the BIC", "20 цифр, ключ по БИК"),
      "invoice_footer": l.pick("empty: the standard text", "пусто — стандартный текст"),
      "offer_intro": l.pick("empty: the standard text", "пусто — стандартный текст"),
      "act_statement": l.pick("empty: the standard text", "пусто — стандартный текст"),
    ]
    let fields = CompanyService.fields.map { f in
      FormField(
        key: f, label: v.fieldName(f), value: CompanyService.value(e, f), note: notes[f])
    }
    let name = e.shortName.isEmpty ? e.fullName : e.shortName
    let title =
      entity == nil
      ? l.pick("New legal entity", "Новое юрлицо")
      : l.pick("Requisites: ", "Реквизиты: ") + name
    return CompanyFormScreen(
      context: context, form: Form(title: title, fields: fields), entity: e, onSaved: onSaved)
  }

  override func submit(app: App) -> Bool {
    let l = context.language
    return saving(app: app) { () throws(CRMError) -> Bool in
      var e = entity
      for f in form.fields { try CompanyService.assign(&e, f.key, f.input.text, l) }
      let companies = context.core.companies
      let saved = e.id == nil ? try companies.add(e) : try companies.update(e)
      onSaved()
      app.flash(
        l.pick("Saved: ", "Сохранено: ")
          + (saved.shortName.isEmpty ? saved.fullName : saved.shortName))
      return true
    }
  }
}
