import ArgumentParser
import CRMCore
import CRMExchange
import Foundation

/// `crm company`: our own legal entities (ООО, ИП) whose requisites the invoices, acts and
/// offers print. Anyone reads them; only admins change them.
struct CompanyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "company",
    abstract: tr(
      "Our company's requisites: list, show, add, edit, set, image, default, rm.",
      "Реквизиты нашей организации: list, show, add, edit, set, image, default, rm."),
    discussion: tr(
      """
      Several legal entities (ООО and ИП) may exist; documents come from the default one unless \
      they (or their contract) name another. Changes are for admins. Checked: ИНН, КПП, ОГРН/ОГРНИП \
      check digits, БИК, and the accounts' keys against the БИК. Fields for set: \
      \(CompanyService.fields.joined(separator: ", ")).
      """,
      """
      Юрлиц (ООО и ИП) может быть несколько; документы выписываются от основного, если в них \
      (или в их договоре) не указано другое. Изменения — для администраторов. Проверяются \
      контрольные цифры ИНН, КПП, ОГРН/ОГРНИП, БИК и ключи счетов по БИК. Поля для set: \
      \(CompanyService.fields.joined(separator: ", ")).
      """),
    subcommands: [
      List.self, Show.self, Add.self, Edit.self, SetField.self, Image.self, Default.self,
      Remove.self, Use.self,
    ])

  /// The requisites as options; a missing one stays as it is (`edit`) or empty (`add`).
  struct Fields: ParsableArguments {
    @Option(
      help: tr(
        "organization (ООО, АО) or entrepreneur (ИП).",
        "organization (ООО, АО) или entrepreneur (ИП)."))
    var kind: String?
    @Option(help: tr("Full name.", "Полное наименование.")) var fullName: String?
    @Option(help: tr("Short name, as forms print it.", "Краткое наименование, как в формах."))
    var shortName: String?
    @Option(help: tr("ИНН (10 digits; 12 for an ИП).", "ИНН (10 цифр; 12 у ИП).")) var inn: String?
    @Option(help: tr("КПП (organisations).", "КПП (у организаций).")) var kpp: String?
    @Option(help: tr("ОГРН (13 digits) or ОГРНИП (15).", "ОГРН (13 цифр) или ОГРНИП (15)."))
    var ogrn: String?
    @Option(help: tr("Legal address.", "Юридический адрес.")) var legalAddress: String?
    @Option(help: tr("Postal address.", "Почтовый адрес.")) var postalAddress: String?
    @Option(help: tr("Bank name.", "Название банка.")) var bankName: String?
    @Option(help: tr("БИК of the bank.", "БИК банка.")) var bik: String?
    @Option(help: tr("Корр. счёт of the bank.", "Корреспондентский счёт банка."))
    var corrAccount: String?
    @Option(help: tr("Расчётный счёт.", "Расчётный счёт.")) var account: String?
    @Option(help: tr("Director's title.", "Должность руководителя.")) var directorTitle: String?
    @Option(help: tr("Director's name.", "ФИО руководителя.")) var directorName: String?
    @Option(help: tr("Chief accountant's title.", "Должность бухгалтера."))
    var accountantTitle: String?
    @Option(help: tr("Chief accountant's name.", "ФИО главного бухгалтера."))
    var accountantName: String?
    @Option(help: tr("Phone.", "Телефон.")) var phone: String?
    @Option(help: tr("E-mail of the company.", "Электронная почта организации.")) var email: String?
    @Option(help: tr("Site.", "Сайт.")) var site: String?

    /// `e` with every given option applied.
    func apply(to e: LegalEntity, _ l: Language) throws(CRMError) -> LegalEntity {
      var out = e
      let given: [(String, String?)] = [
        ("kind", kind), ("full_name", fullName), ("short_name", shortName), ("inn", inn),
        ("kpp", kpp), ("ogrn", ogrn), ("legal_address", legalAddress),
        ("postal_address", postalAddress), ("bank_name", bankName), ("bik", bik),
        ("corr_account", corrAccount), ("account", account), ("director_title", directorTitle),
        ("director_name", directorName), ("accountant_title", accountantTitle),
        ("accountant_name", accountantName), ("phone", phone), ("email", email), ("site", site),
      ]
      for (field, value) in given {
        if let value { try CompanyService.assign(&out, field, value, l) }
      }
      return out
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Our legal entities: id, default mark, name, ИНН, and what keeps an invoice from printing.",
        "Наши юрлица: номер, отметка основного, название, ИНН и что мешает напечатать счёт."))
    @OptionGroup var global: Global
    static var readOnly: Bool { true }

    func run(_ session: Session) throws {
      let l = global.language
      let list = try session.context.companies.list()
      if list.isEmpty {
        print(
          l.pick(
            "No requisites yet. An admin adds them: crm company add --short-name «…» --inn …",
            "Реквизитов пока нет. Их добавляет администратор: crm company add --short-name «…» --inn …"
          ))
        return
      }
      let v = LegalEntityValidator(language: l)
      let rows = list.map { e -> [String] in
        let missing = v.missing(e, for: .invoice).map(v.fieldName)
        return [
          String(e.id ?? 0), e.isDefault ? "*" : "",
          e.shortName.isEmpty ? e.fullName : e.shortName, e.inn,
          missing.isEmpty
            ? l.pick("ready", "готово")
            : l.pick("missing: ", "не хватает: ") + missing.joined(separator: ", "),
        ]
      }
      print(
        tableText(
          ["#", "", l.pick("Name", "Название"), l.pick("INN", "ИНН"), l.pick("Invoice", "Счёт")],
          rows,
          [
            Col(width: 4, right: true), Col(width: 1), Col(width: 28), Col(width: 12),
            Col(width: 30),
          ]))
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Every requisite of an entity (default: the default one).",
        "Все реквизиты юрлица (по умолчанию — основного)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Entity id.", "Номер юрлица.")) var id: Int64?
    static var readOnly: Bool { true }

    func run(_ session: Session) throws {
      let l = global.language
      let companies = session.context.companies
      guard
        let e = try id.map({ id throws(CRMError) in try companies.entity(id) })
          ?? companies.defaultEntity()
      else {
        if let id { throw fail(.notFound(what: l.pick("company", "организация"), id: id), global) }
        print(
          l.pick(
            "No requisites yet; \(try companies.whoCanSet()) adds them.",
            "Реквизитов пока нет; их добавляет \(try companies.whoCanSet())."))
        return
      }
      let v = LegalEntityValidator(language: l)
      print("#\(e.id ?? 0)\(e.isDefault ? l.pick(" (default)", " (основное)") : "")")
      for f in CompanyService.fields {
        var value = CompanyService.value(e, f)
        if f == "kind" {
          value =
            e.kind == .organization
            ? l.pick("organization", "организация") : l.pick("entrepreneur", "ИП")
        }
        if value.isEmpty { continue }
        let name = f == "ogrn" && e.kind == .entrepreneur ? v.fieldName("ogrnip") : v.fieldName(f)
        print("\(name): \(value.replacingOccurrences(of: "\n", with: " / "))")
      }
      for image in CompanyService.Image.allCases {
        let data: Data? =
          switch image {
          case .logo: e.logoPNG
          case .stamp: e.stampPNG
          case .directorSignature: e.directorSignaturePNG
          case .accountantSignature: e.accountantSignaturePNG
          }
        if let data { print("\(image.name(l)): PNG, \(data.count) \(l.pick("bytes", "байт"))") }
      }
      for doc in [CompanyService.Document.invoice, .act, .offer] {
        let missing = v.missing(e, for: doc).map(v.fieldName)
        let name = CompanyService.documentTitle(doc, l)
        var problem =
          missing.isEmpty
          ? "" : l.pick("missing ", "не хватает: ") + missing.joined(separator: ", ")
        if problem.isEmpty {
          do { _ = try v.validate(e) } catch { problem = error.message(l) }
        }
        print("\(name): \(problem.isEmpty ? l.pick("ready", "готово") : problem)")
      }
    }
  }

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add a legal entity (admin); the first one becomes the default.",
        "Добавить юрлицо (администратор); первое становится основным."))
    @OptionGroup var global: Global
    @OptionGroup var fields: Fields
    @Flag(name: .customLong("default"), help: tr("Make it the default.", "Сделать основным."))
    var makeDefault = false

    func run(_ session: Session) throws {
      let l = global.language
      var e = try fields.apply(to: LegalEntity(), l)
      e.isDefault = makeDefault
      let added = try session.context.companies.add(e)
      print(l.pick("Added company #\(added.id ?? 0).", "Добавлена организация № \(added.id ?? 0)."))
    }
  }

  struct Edit: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit",
      abstract: tr(
        "Change requisites of an entity (admin); options not given stay as they are.",
        "Изменить реквизиты юрлица (администратор); не указанные опции не меняются."))
    @OptionGroup var global: Global
    @Argument(help: tr("Entity id.", "Номер юрлица.")) var id: Int64
    @OptionGroup var fields: Fields

    func run(_ session: Session) throws {
      let l = global.language
      let companies = session.context.companies
      guard let e = try companies.entity(id) else {
        throw fail(.notFound(what: l.pick("company", "организация"), id: id), global)
      }
      _ = try companies.update(try fields.apply(to: e, l))
      print(l.pick("Company #\(id) saved.", "Организация № \(id) сохранена."))
    }
  }

  struct SetField: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: tr(
        "Set one requisite (admin): crm company set bik 044525225 [--entity ID].",
        "Задать один реквизит (администратор): crm company set bik 044525225 [--entity ID]."))
    @OptionGroup var global: Global
    @Argument(help: tr("Field (see crm company --help).", "Поле (см. crm company --help)."))
    var field: String
    @Argument(help: tr("Value (empty clears it).", "Значение (пустое — очистить).")) var value:
      String
    @Option(
      help: tr("Entity id (default: the default one).", "Номер юрлица (по умолчанию — основное)."))
    var entity: Int64?

    func run(_ session: Session) throws {
      let l = global.language
      let e = try session.context.companies.set(field, value, entity: entity)
      let v = LegalEntityValidator(language: l)
      let key = field.lowercased().replacingOccurrences(of: "-", with: "_")
      print("#\(e.id ?? 0) \(v.fieldName(key)): \(CompanyService.value(e, key))")
    }
  }

  struct Image: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "image",
      abstract: tr(
        "Set a PNG image (admin): logo, stamp, director-signature, accountant-signature.",
        "Задать картинку PNG (администратор): logo, stamp, director-signature, accountant-signature."
      ))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "logo, stamp, director-signature or accountant-signature.",
        "logo, stamp, director-signature или accountant-signature."))
    var which: String
    @Argument(help: tr("PNG file (at most 1 MiB).", "Файл PNG (не больше 1 МиБ).")) var file:
      String?
    @Flag(help: tr("Remove the image instead.", "Убрать картинку.")) var remove = false
    @Option(
      help: tr("Entity id (default: the default one).", "Номер юрлица (по умолчанию — основное)."))
    var entity: Int64?

    func check() throws {
      let l = global.language
      guard CompanyService.Image(rawValue: which) != nil else {
        throw fail(
          .invalid(
            field: l.pick("image", "картинка"),
            problem: l.pick("«\(which)»: use ", "«\(which)»: укажите ")
              + CompanyService.Image.allCases.map(\.rawValue).joined(separator: ", ")), global)
      }
      if remove == (file != nil) {
        throw fail(
          .invalid(
            field: "FILE",
            problem: l.pick("give a PNG file or --remove", "укажите файл PNG или --remove")), global
        )
      }
    }

    func run(_ session: Session) throws {
      let l = global.language
      let image = CompanyService.Image(rawValue: which)!
      var data: Data?
      if let file {
        let url = URL(fileURLWithPath: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        if size > CompanyService.maxImageBytes {
          try CompanyService.checkPNG(Data(count: size), field: image.name(l), l)
        }
        do { data = try Data(contentsOf: url) } catch {
          throw fail(
            .invalid(
              field: file, problem: l.pick("cannot read the file", "не удаётся прочитать файл")),
            global)
        }
      }
      let e = try session.context.companies.setImage(image, png: data, entity: entity)
      print(
        data == nil
          ? l.pick(
            "#\(e.id ?? 0): \(image.name(l)) removed.", "№ \(e.id ?? 0): \(image.name(l)) — убрано."
          )
          : l.pick(
            "#\(e.id ?? 0): \(image.name(l)) set (\(data!.count) bytes).",
            "№ \(e.id ?? 0): \(image.name(l)) — задано (\(data!.count) байт)."))
    }
  }

  struct Default: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "default",
      abstract: tr(
        "Make an entity the default one documents come from (admin).",
        "Сделать юрлицо основным, от которого выписываются документы (администратор)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Entity id.", "Номер юрлица.")) var id: Int64

    func run(_ session: Session) throws {
      try session.context.companies.setDefault(id)
      print(
        global.language.pick("Company #\(id) is the default.", "Организация № \(id) — основная."))
    }
  }

  struct Use: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "use",
      abstract: tr(
        "Name the entity a document comes from: crm company use invoice 12 2 (no entity: the default).",
        "Указать юрлицо документа: crm company use invoice 12 2 (без номера юрлица — основное)."))
    @OptionGroup var global: Global
    @Argument(help: tr("offer, contract, invoice or act.", "offer, contract, invoice или act."))
    var document: String
    @Argument(help: tr("Document id.", "Номер документа.")) var id: Int64
    @Argument(help: tr("Entity id (none: the default).", "Номер юрлица (без него — основное)."))
    var entity: Int64?

    func run(_ session: Session) throws {
      let l = global.language
      guard let d = CompanyService.Document(rawValue: document) else {
        throw fail(
          .invalid(
            field: l.pick("document", "документ"),
            problem: l.pick(
              "«\(document)»: use offer, contract, invoice or act",
              "«\(document)»: укажите offer, contract, invoice или act")), global)
      }
      try session.context.companies.assign(d, id: id, entity: entity)
      print(
        entity.map { l.pick("From company #\($0).", "От организации № \($0).") }
          ?? l.pick("From the default company.", "От основной организации."))
    }
  }

  struct Remove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "rm",
      abstract: tr(
        "Remove an entity no document comes from (admin).",
        "Удалить юрлицо, от которого нет документов (администратор)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Entity id.", "Номер юрлица.")) var id: Int64

    func run(_ session: Session) throws {
      try session.context.companies.remove(id)
      print(global.language.pick("Company #\(id) removed.", "Организация № \(id) удалена."))
    }
  }
}
