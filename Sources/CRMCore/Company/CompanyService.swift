import Foundation
import GRDB

/// Our own legal entities (`legal_entity`): anyone signed in reads them (every printed form
/// needs them); only an admin adds, changes, removes them or picks the default. Every change is
/// audited like a setting (entity `setting`, fields `company.<field>`).
public struct CompanyService: CoreService {
  public let context: ServiceContext
  public init(_ context: ServiceContext) { self.context = context }

  /// The largest PNG accepted for a logo, stamp or signature (1 MiB).
  public static let maxImageBytes = 1 << 20

  /// The images an entity may carry.
  public enum Image: String, CaseIterable, Sendable {
    case logo, stamp
    case directorSignature = "director-signature"
    case accountantSignature = "accountant-signature"

    var column: String {
      switch self {
      case .logo: return "logo_sha256"
      case .stamp: return "stamp_sha256"
      case .directorSignature: return "director_signature_sha256"
      case .accountantSignature: return "accountant_signature_sha256"
      }
    }

    public func name(_ l: Language) -> String {
      switch self {
      case .logo: return l.pick("Logo", "Логотип")
      case .stamp: return l.pick("Stamp", "Печать")
      case .directorSignature: return l.pick("Director's signature", "Подпись руководителя")
      case .accountantSignature: return l.pick("Accountant's signature", "Подпись бухгалтера")
      }
    }
  }

  /// The documents that name the entity they come from.
  public enum Document: String, CaseIterable, Sendable {
    case offer, contract, invoice, act
  }

  /// The text fields `set` accepts, in the order forms and `show` list them.
  public static let fields = [
    "kind", "full_name", "short_name", "inn", "kpp", "ogrn", "legal_address", "postal_address",
    "bank_name", "bik", "corr_account", "account", "director_title", "director_name",
    "accountant_title", "accountant_name", "phone", "email", "site", "invoice_footer",
    "offer_intro", "offer_terms", "act_statement",
  ]

  // MARK: Reading

  static let select = """
    SELECT e.*, lo.data AS logo, st.data AS stamp, ds.data AS director_signature,
      acs.data AS accountant_signature
    FROM legal_entity e
    LEFT JOIN blob lo ON lo.sha256 = e.logo_sha256
    LEFT JOIN blob st ON st.sha256 = e.stamp_sha256
    LEFT JOIN blob ds ON ds.sha256 = e.director_signature_sha256
    LEFT JOIN blob acs ON acs.sha256 = e.accountant_signature_sha256
    """

  static func entity(_ r: Row) -> LegalEntity {
    var e = LegalEntity(
      id: r["id"], kind: LegalEntity.Kind(rawValue: r["kind"]) ?? .organization,
      fullName: r["full_name"], shortName: r["short_name"], inn: r["inn"], kpp: r["kpp"],
      ogrn: r["ogrn"], legalAddress: r["legal_address"], postalAddress: r["postal_address"],
      bankName: r["bank_name"], bik: r["bik"], corrAccount: r["corr_account"],
      account: r["account"], directorTitle: r["director_title"],
      directorName: r["director_name"], accountantTitle: r["accountant_title"],
      accountantName: r["accountant_name"], phone: r["phone"], email: r["email"],
      site: r["site"], logoPNG: r["logo"], stampPNG: r["stamp"],
      directorSignaturePNG: r["director_signature"],
      accountantSignaturePNG: r["accountant_signature"], isDefault: r["is_default"])
    e.wording = LegalEntity.Wording(
      invoiceFooter: r["invoice_footer"], offerIntro: r["offer_intro"],
      offerTerms: r["offer_terms"], actStatement: r["act_statement"])
    return e
  }

  /// Every entity, the default first, then by name.
  public func list() throws(CRMError) -> [LegalEntity] {
    try db.read { db in
      try Row.fetchAll(
        db, sql: Self.select + " ORDER BY e.is_default DESC, e.short_name, e.full_name, e.id"
      ).map(Self.entity)
    }
  }

  public func entity(_ id: Int64) throws(CRMError) -> LegalEntity? {
    try db.read { db in try Self.entity(db, id) }
  }

  static func entity(_ db: Database, _ id: Int64) throws -> LegalEntity? {
    try Row.fetchOne(db, sql: Self.select + " WHERE e.id = ?", arguments: [id]).map(Self.entity)
  }

  /// The entity documents come from when they name none; nil when there is no entity at all.
  public func defaultEntity() throws(CRMError) -> LegalEntity? {
    try db.read { db in try Self.defaultEntity(db) }
  }

  static func defaultEntity(_ db: Database) throws -> LegalEntity? {
    try Row.fetchOne(
      db, sql: Self.select + " ORDER BY e.is_default DESC, e.id LIMIT 1"
    ).map(Self.entity)
  }

  /// The entity `document` number `id` comes from: the one it names, else its contract's, else
  /// the default. Nil when there is no entity at all.
  public func entity(for document: Document, id: Int64) throws(CRMError) -> LegalEntity? {
    try db.read { db in
      let named: Int64?
      switch document {
      case .offer, .contract:
        named = try Int64.fetchOne(
          db, sql: "SELECT legal_entity_id FROM \(document.rawValue) WHERE id = ?",
          arguments: [id])
      case .invoice, .act:
        named = try Int64.fetchOne(
          db,
          sql: """
            SELECT coalesce(d.legal_entity_id, k.legal_entity_id) FROM \(document.rawValue) d
            LEFT JOIN contract k ON k.id = d.contract_id WHERE d.id = ?
            """, arguments: [id])
      }
      if let named, let e = try Self.entity(db, named) { return e }
      return try Self.defaultEntity(db)
    }
  }

  /// Active admins, who may set the requisites: named in messages to those who cannot.
  public func admins() throws(CRMError) -> [User] {
    try db.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, login, name, role, active, team FROM app_user
          WHERE role = 'admin' AND active = 1 ORDER BY login LIMIT 20
          """
      ).map { r in
        User(
          id: r["id"], login: r["login"], name: r["name"], role: .admin, active: true,
          team: r["team"])
      }
    }
  }

  /// A user's name as documents sign it (the login when no name is set); nil for no such user.
  public func signerName(userId: Int64) throws(CRMError) -> String? {
    try db.read { db in
      try Row.fetchOne(
        db, sql: "SELECT login, name FROM app_user WHERE id = ?", arguments: [userId]
      )
      .map { r in
        let name: String = r["name"]
        return name.trimmingSpaces().isEmpty ? r["login"] : name
      }
    }
  }

  /// «Иванов Пётр (ivanov), Смирнова Анна (smirnova)» or a hint when there is no admin.
  public func whoCanSet() throws(CRMError) -> String {
    let list = try admins()
    if list.isEmpty {
      return l.pick(
        "an administrator (no active admin yet: crm user add LOGIN --role admin)",
        "администратор (активных администраторов пока нет: crm user add ЛОГИН --role admin)")
    }
    let names = list.map { $0.name.isEmpty ? $0.login : "\($0.name) (\($0.login))" }
    return l.pick("the administrator: ", "администратор: ") + names.joined(separator: ", ")
  }

  // MARK: Readiness for printing

  /// Refuses when `e` cannot go on `form`: no entity, a requisite the form shows missing, or
  /// one invalid. The message names the field and who can set it (the active admins).
  public func requireReady(_ e: LegalEntity?, for form: Document) throws(CRMError) {
    guard let e else {
      throw .invalid(
        field: l.pick("Our company", "Наша организация"),
        problem: l.pick(
          "no requisites are set. Ask \(try whoCanSet()) to enter them (crm company add, or key c on the activity screen 5).",
          "реквизиты не заданы. Попросите их ввести — \(try whoCanSet()) (crm company add или клавиша c на экране 5 «Активность»)."
        ))
    }
    let v = LegalEntityValidator(language: l)
    let missing = v.missing(e, for: form)
    var problem: CRMError?
    if let field = missing.first {
      problem = .invalid(field: v.fieldName(field), problem: l.pick("not set", "не указан"))
    } else {
      do { _ = try v.validate(e) } catch { problem = error }
    }
    guard let problem, case .invalid(let field, let text) = problem else { return }
    let entity = e.shortName.isEmpty ? e.fullName : e.shortName
    throw .invalid(
      field: field,
      problem: l.pick(
        "\(text) in the requisites of \(entity.isEmpty ? "our company" : entity) (#\(e.id ?? 0)); nothing was written. It can be set by \(try whoCanSet()).",
        "\(text) в реквизитах \(entity.isEmpty ? "нашей организации" : entity) (№ \(e.id ?? 0)); ничего не записано. Задать может \(try whoCanSet())."
      ))
  }

  // MARK: Changing

  func requireAdmin(_ what: String) throws(CRMError) {
    try db.require([.admin], to: what, language: l)
  }

  /// Adds an entity after validating it; the first one becomes the default.
  @discardableResult
  public func add(_ input: LegalEntity) throws(CRMError) -> LegalEntity {
    try requireAdmin("crm company add")
    let e = try LegalEntityValidator(language: l).validate(input)
    let at = now.timeIntervalSince1970
    let by = userId
    let id: Int64 = try db.write { db in
      let first = try Int.fetchOne(db, sql: "SELECT count(*) FROM legal_entity") == 0
      let makeDefault = first || e.isDefault
      if makeDefault { try db.execute(sql: "UPDATE legal_entity SET is_default = 0") }
      try db.execute(
        sql: """
          INSERT INTO legal_entity (kind, is_default, created_at, updated_at) VALUES (?, ?, ?, ?)
          """, arguments: [e.kind.rawValue, makeDefault, at, at])
      let id = db.lastInsertedRowID
      try Self.store(db, id: id, e)
      var new = Self.values(e)
      new["company.is_default"] = makeDefault ? "1" : ""
      try CRMDatabase.auditSetUp(
        db, by: by, entity: "setting", entityId: id, action: "insert", old: [:], new: new,
        at: Date(timeIntervalSince1970: at))
      return id
    }
    return try entity(id)!
  }

  /// Replaces an entity's requisites (not its images nor default mark) after validating them.
  @discardableResult
  public func update(_ input: LegalEntity) throws(CRMError) -> LegalEntity {
    try requireAdmin("crm company edit")
    guard let id = input.id else { throw .notFound(what: l.pick("company", "организация"), id: 0) }
    let e = try LegalEntityValidator(language: l).validate(input)
    let at = now
    let by = userId
    try db.write { db in
      guard let old = try Self.entity(db, id) else {
        throw CRMError.notFound(what: l.pick("company", "организация"), id: id)
      }
      try Self.store(db, id: id, e)
      try db.execute(
        sql: "UPDATE legal_entity SET updated_at = ? WHERE id = ?",
        arguments: [at.timeIntervalSince1970, id])
      let before = Self.values(old)
      let after = Self.values(e)
      if before != after {
        try CRMDatabase.auditSetUp(
          db, by: by, entity: "setting", entityId: id, action: "update", old: before, new: after,
          at: at)
      }
    }
    return try entity(id)!
  }

  /// Sets one text field (`fields`) of entity `id` (nil: the default one, created when there
  /// is none) and returns the entity.
  @discardableResult
  public func set(_ field: String, _ value: String, entity id: Int64? = nil) throws(CRMError)
    -> LegalEntity
  {
    try requireAdmin("crm company set")
    let key = field.lowercased().replacingOccurrences(of: "-", with: "_")
    guard Self.fields.contains(key) else {
      throw fail(
        field,
        "unknown field; known: \(Self.fields.joined(separator: ", "))",
        "неизвестное поле; есть: \(Self.fields.joined(separator: ", "))")
    }
    var e = try target(id) ?? LegalEntity()
    try Self.assign(&e, key, value, l)
    return e.id == nil ? try add(e) : try update(e)
  }

  /// The entity `id`, or the default one when `id` is nil.
  func target(_ id: Int64?) throws(CRMError) -> LegalEntity? {
    if let id {
      guard let e = try entity(id) else {
        throw .notFound(what: l.pick("company", "организация"), id: id)
      }
      return e
    }
    return try defaultEntity()
  }

  /// Puts a PNG (checked: signature, size) in place of `image` of entity `id` (nil: the
  /// default); nil `png` removes it.
  @discardableResult
  public func setImage(_ image: Image, png: Data?, entity id: Int64? = nil) throws(CRMError)
    -> LegalEntity
  {
    try requireAdmin("crm company image")
    if let png { try Self.checkPNG(png, field: image.name(l), l) }
    guard let e = try target(id), let eid = e.id else {
      throw fail(
        image.name(l), "add the company's requisites first (crm company add)",
        "сначала добавьте реквизиты организации (crm company add)")
    }
    let at = now
    let by = userId
    try db.write { db in
      let old = try String.fetchOne(
        db, sql: "SELECT \(image.column) FROM legal_entity WHERE id = ?", arguments: [eid])
      var sha: String?
      if let png {
        let digest = AttachmentSHA256.hex(png)
        try db.execute(
          sql: "INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?, ?, ?)",
          arguments: [digest, png.count, png])
        sha = digest
      }
      try db.execute(
        sql: "UPDATE legal_entity SET \(image.column) = ?, updated_at = ? WHERE id = ?",
        arguments: [sha, at.timeIntervalSince1970, eid])
      if let old, old != sha { try Self.dropBlobIfUnused(db, old) }
      if old != sha {
        try CRMDatabase.auditSetUp(
          db, by: by, entity: "setting", entityId: eid, action: "set",
          old: ["company." + image.rawValue: old ?? ""],
          new: ["company." + image.rawValue: sha ?? ""],
          at: at)
      }
    }
    return try entity(eid)!
  }

  /// Makes entity `id` the default one.
  public func setDefault(_ id: Int64) throws(CRMError) {
    try requireAdmin("crm company default")
    let at = now
    let by = userId
    try db.write { db in
      guard try Self.entity(db, id) != nil else {
        throw CRMError.notFound(what: l.pick("company", "организация"), id: id)
      }
      let old = try Int64.fetchOne(db, sql: "SELECT id FROM legal_entity WHERE is_default = 1")
      guard old != id else { return }
      try db.execute(sql: "UPDATE legal_entity SET is_default = 0 WHERE is_default = 1")
      try db.execute(sql: "UPDATE legal_entity SET is_default = 1 WHERE id = ?", arguments: [id])
      try CRMDatabase.auditSetUp(
        db, by: by, entity: "setting", entityId: id, action: "set",
        old: ["company.default": old.map(String.init) ?? ""], new: ["company.default": String(id)],
        at: at)
    }
  }

  /// How many documents of each kind name entity `id`.
  public func references(_ id: Int64) throws(CRMError) -> [(Document, Int)] {
    try db.read { db in
      try Document.allCases.compactMap { d in
        let n =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM \(d.rawValue) WHERE legal_entity_id = ?",
            arguments: [id]) ?? 0
        return n > 0 ? (d, n) : nil
      }
    }
  }

  /// Removes entity `id`: refused while a document names it, or while it is the default and
  /// documents rely on the default. Another entity becomes the default when it was.
  public func remove(_ id: Int64) throws(CRMError) {
    try requireAdmin("crm company rm")
    let refs = try references(id)
    if !refs.isEmpty {
      let list = refs.map { "\(Self.documentName($0.0, l)) \($0.1)" }.joined(separator: ", ")
      throw fail(
        l.pick("company #\(id)", "организация № \(id)"),
        "documents come from it (\(list)); it was not removed",
        "от неё выписаны документы (\(list)); не удалена")
    }
    let at = now
    let by = userId
    try db.write { db in
      guard let old = try Self.entity(db, id) else {
        throw CRMError.notFound(what: l.pick("company", "организация"), id: id)
      }
      if old.isDefault {
        let others =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM legal_entity WHERE id <> ?", arguments: [id]) ?? 0
        let unnamed = try Document.allCases.reduce(0) { n, d in
          n
            + (try Int.fetchOne(
              db, sql: "SELECT count(*) FROM \(d.rawValue) WHERE legal_entity_id IS NULL") ?? 0)
        }
        if others == 0 && unnamed > 0 {
          throw CRMError.invalid(
            field: l.pick("company #\(id)", "организация № \(id)"),
            problem: l.pick(
              "it is the only one and \(unnamed) documents come from it; it was not removed",
              "она единственная, и от неё выписано документов: \(unnamed); не удалена"))
        }
      }
      let images = Image.allCases.compactMap { img in
        try? String.fetchOne(
          db, sql: "SELECT \(img.column) FROM legal_entity WHERE id = ?", arguments: [id])
      }
      try db.execute(sql: "DELETE FROM legal_entity WHERE id = ?", arguments: [id])
      for sha in images { try Self.dropBlobIfUnused(db, sha) }
      if old.isDefault {
        try db.execute(
          sql: """
            UPDATE legal_entity SET is_default = 1
            WHERE id = (SELECT id FROM legal_entity ORDER BY id LIMIT 1)
            """)
      }
      try CRMDatabase.auditSetUp(
        db, by: by, entity: "setting", entityId: id, action: "delete", old: Self.values(old),
        new: [:], at: at)
    }
  }

  /// Names which entity a document comes from (nil: the default). Anyone who may see the
  /// document may choose among the existing entities; the change is audited on the document.
  public func assign(_ document: Document, id: Int64, entity: Int64?) throws(CRMError) {
    if let entity, try self.entity(entity) == nil {
      throw .notFound(what: l.pick("company", "организация"), id: entity)
    }
    // Visibility: the document must be one the acting user sees.
    let visible: Bool
    switch document {
    case .offer: visible = try context.offers.offer(id) != nil
    case .contract: visible = try context.money.contract(id) != nil
    case .invoice: visible = try context.money.invoice(id) != nil
    case .act: visible = try context.money.act(id) != nil
    }
    guard visible else { throw .notFound(what: Self.documentName(document, l), id: id) }
    let at = now
    let by = userId
    try db.write { db in
      let old = try Int64.fetchOne(
        db, sql: "SELECT legal_entity_id FROM \(document.rawValue) WHERE id = ?", arguments: [id])
      guard old != entity else { return }
      try db.execute(
        sql: "UPDATE \(document.rawValue) SET legal_entity_id = ? WHERE id = ?",
        arguments: [entity, id])
      try CRMDatabase.auditSetUp(
        db, by: by, entity: document.rawValue, entityId: id, action: "update",
        old: ["legal_entity_id": old.map(String.init) ?? ""],
        new: ["legal_entity_id": entity.map(String.init) ?? ""], at: at)
    }
  }

  /// «Счёт на оплату», «Акт», «Коммерческое предложение», «Договор».
  public static func documentTitle(_ d: Document, _ l: Language) -> String {
    switch d {
    case .offer: return l.pick("Commercial offer", "Коммерческое предложение")
    case .contract: return l.pick("Contract", "Договор")
    case .invoice: return l.pick("Invoice", "Счёт на оплату")
    case .act: return l.pick("Act", "Акт")
    }
  }

  static func documentName(_ d: Document, _ l: Language) -> String {
    switch d {
    case .offer: return l.pick("offers", "КП")
    case .contract: return l.pick("contracts", "договоры")
    case .invoice: return l.pick("invoices", "счета")
    case .act: return l.pick("acts", "акты")
    }
  }

  // MARK: Storage helpers

  static func store(_ db: Database, id: Int64, _ e: LegalEntity) throws {
    try db.execute(
      sql: """
        UPDATE legal_entity SET kind = ?, full_name = ?, short_name = ?, inn = ?, kpp = ?,
          ogrn = ?, legal_address = ?, postal_address = ?, bank_name = ?, bik = ?,
          corr_account = ?, account = ?, director_title = ?, director_name = ?,
          accountant_title = ?, accountant_name = ?, phone = ?, email = ?, site = ?,
          invoice_footer = ?, offer_intro = ?, offer_terms = ?, act_statement = ?
        WHERE id = ?
        """,
      arguments: [
        e.kind.rawValue, e.fullName, e.shortName, e.inn, e.kpp, e.ogrn, e.legalAddress,
        e.postalAddress, e.bankName, e.bik, e.corrAccount, e.account, e.directorTitle,
        e.directorName, e.accountantTitle, e.accountantName, e.phone, e.email, e.site,
        e.wording.invoiceFooter, e.wording.offerIntro, e.wording.offerTerms,
        e.wording.actStatement, id,
      ])
  }

  /// The text fields as `company.<field>` → value, for the audit.
  static func values(_ e: LegalEntity) -> [String: String] {
    var out: [String: String] = [:]
    for f in fields { out["company." + f] = value(e, f) }
    return out
  }

  /// A text field's value by its `fields` name.
  public static func value(_ e: LegalEntity, _ field: String) -> String {
    switch field {
    case "kind": return e.kind.rawValue
    case "full_name": return e.fullName
    case "short_name": return e.shortName
    case "inn": return e.inn
    case "kpp": return e.kpp
    case "ogrn": return e.ogrn
    case "legal_address": return e.legalAddress
    case "postal_address": return e.postalAddress
    case "bank_name": return e.bankName
    case "bik": return e.bik
    case "corr_account": return e.corrAccount
    case "account": return e.account
    case "director_title": return e.directorTitle
    case "director_name": return e.directorName
    case "accountant_title": return e.accountantTitle
    case "accountant_name": return e.accountantName
    case "phone": return e.phone
    case "email": return e.email
    case "site": return e.site
    case "invoice_footer": return e.wording.invoiceFooter
    case "offer_intro": return e.wording.offerIntro
    case "offer_terms": return e.wording.offerTerms
    case "act_statement": return e.wording.actStatement
    default: return ""
    }
  }

  /// Sets a text field by its `fields` name (unchecked: `LegalEntityValidator` checks).
  public static func assign(_ e: inout LegalEntity, _ field: String, _ value: String, _ l: Language)
    throws(CRMError)
  {
    switch field {
    case "kind":
      let v = value.trimmingSpaces().lowercased()
      switch v {
      case "organization", "org", "ооо", "организация", "юл": e.kind = .organization
      case "entrepreneur", "ip", "ип", "предприниматель": e.kind = .entrepreneur
      default:
        throw .invalid(
          field: l.pick("Kind", "Вид"),
          problem: l.pick(
            "«\(value)»: use organization or entrepreneur",
            "«\(value)»: укажите organization (ООО) или entrepreneur (ИП)"))
      }
    case "full_name": e.fullName = value
    case "short_name": e.shortName = value
    case "inn": e.inn = value
    case "kpp": e.kpp = value
    case "ogrn": e.ogrn = value
    case "legal_address": e.legalAddress = value
    case "postal_address": e.postalAddress = value
    case "bank_name": e.bankName = value
    case "bik": e.bik = value
    case "corr_account": e.corrAccount = value
    case "account": e.account = value
    case "director_title": e.directorTitle = value
    case "director_name": e.directorName = value
    case "accountant_title": e.accountantTitle = value
    case "accountant_name": e.accountantName = value
    case "phone": e.phone = value
    case "email": e.email = value
    case "site": e.site = value
    case "invoice_footer": e.wording.invoiceFooter = value
    case "offer_intro": e.wording.offerIntro = value
    case "offer_terms": e.wording.offerTerms = value
    case "act_statement": e.wording.actStatement = value
    default: break
    }
  }

  static func dropBlobIfUnused(_ db: Database, _ sha: String) throws {
    let used =
      try Int.fetchOne(
        db,
        sql: """
          SELECT (SELECT count(*) FROM attachment WHERE sha256 = ?1)
            + (SELECT count(*) FROM legal_entity WHERE ?1 IN (logo_sha256, stamp_sha256,
                director_signature_sha256, accountant_signature_sha256))
          """, arguments: [sha]) ?? 0
    if used == 0 { try db.execute(sql: "DELETE FROM blob WHERE sha256 = ?", arguments: [sha]) }
  }

  /// The PNG signature (`89 50 4E 47 0D 0A 1A 0A`), an IHDR chunk first, a sane size, and at
  /// most `maxImageBytes`.
  public static func checkPNG(_ data: Data, field: String, _ l: Language) throws(CRMError) {
    let bytes = [UInt8](data.prefix(24))
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count >= 24, Array(bytes[0..<8]) == signature,
      Array(bytes[12..<16]) == Array("IHDR".utf8)
    else {
      throw .invalid(
        field: field,
        problem: l.pick(
          "not a PNG image (the file does not start with the PNG signature and IHDR)",
          "не картинка PNG (файл не начинается с подписи PNG и заголовка IHDR)"))
    }
    if data.count > maxImageBytes {
      throw .invalid(
        field: field,
        problem: l.pick(
          "too large (\(data.count) bytes, at most \(maxImageBytes))",
          "слишком большой файл (\(data.count) байт, не больше \(maxImageBytes))"))
    }
    func be32(_ i: Int) -> UInt32 {
      UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
        | UInt32(bytes[i + 3])
    }
    let w = be32(16)
    let h = be32(20)
    if w == 0 || h == 0 || w > 10000 || h > 10000 {
      throw .invalid(
        field: field,
        problem: l.pick(
          "unusable size \(w)×\(h) pixels (1 to 10000 each way)",
          "негодный размер \(w)×\(h) точек (от 1 до 10000 по каждой стороне)"))
    }
  }
}

extension ServiceContext {
  /// Our own legal entities and their requisites.
  public var companies: CompanyService { CompanyService(self) }
}
