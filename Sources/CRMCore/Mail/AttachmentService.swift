import Foundation
import GRDB

/// A file kept with a client or a deal (and with the e-mail it came or went with).
public struct Attachment: Equatable, Sendable {
  public var id: Int64
  public var clientId: Int64?
  public var dealId: Int64?
  public var contactId: Int64?
  public var name: String
  public var mime: String
  public var sha256: String
  public var size: Int64
  public var userId: Int64
  public var createdAt: Date
}

/// The bytes of a file with the name and type it is shown and sent under.
public struct AttachmentFile: Equatable, Sendable {
  public var name: String
  public var mime: String
  public var data: Data

  public init(name: String, mime: String, data: Data) {
    self.name = name
    self.mime = mime
    self.data = data
  }

  /// A type from the file name's extension, for the few kinds a sales team keeps; anything else
  /// is `application/octet-stream`.
  public static func mime(forName name: String) -> String {
    switch (name as NSString).pathExtension.lowercased() {
    case "pdf": return "application/pdf"
    case "html", "htm": return "text/html"
    case "txt": return "text/plain"
    case "csv": return "text/csv"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "gif": return "image/gif"
    case "doc": return "application/msword"
    case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    case "xls": return "application/vnd.ms-excel"
    case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case "odt": return "application/vnd.oasis.opendocument.text"
    case "ods": return "application/vnd.oasis.opendocument.spreadsheet"
    case "zip": return "application/zip"
    case "xml": return "application/xml"
    case "eml": return "message/rfc822"
    default: return "application/octet-stream"
    }
  }
}

/// Files of clients and deals, stored inside the database as blobs addressed by their SHA-256:
/// the same bytes are kept once however many attachments name them, and a blob goes when the
/// last attachment naming it goes. Every read and write checks that the signed-in user sees
/// the client.
public struct AttachmentService: CoreService {
  public let context: ServiceContext
  var l: Language { context.language }

  public init(_ context: ServiceContext) { self.context = context }

  static let select = """
    SELECT a.id, a.client_id, a.deal_id, a.contact_id, a.name, a.mime, a.sha256, a.size,
      a.user_id, a.created_at FROM attachment a
    """

  static func attachment(_ r: Row) -> Attachment {
    Attachment(
      id: r["id"], clientId: r["client_id"], dealId: r["deal_id"], contactId: r["contact_id"],
      name: r["name"], mime: r["mime"], sha256: r["sha256"], size: r["size"],
      userId: r["user_id"], createdAt: Date(timeIntervalSince1970: r["created_at"]))
  }

  func requireUser() throws(CRMError) -> Int64 {
    guard let userId else {
      throw .other(
        l.pick("no acting user (read-only database?)", "нет пользователя (база только для чтения?)")
      )
    }
    return userId
  }

  /// The largest file accepted, from the `attachment_max_mb` setting.
  public func maxBytes() throws(CRMError) -> Int {
    try db.settings().attachmentMaxMB * 1024 * 1024
  }

  /// Adds files to a client or a deal (the deal's client is recorded too, so the client card
  /// lists them) in one transaction; returns their ids in order.
  @discardableResult
  public func add(clientId: Int64? = nil, dealId: Int64? = nil, _ files: [AttachmentFile])
    throws(CRMError) -> [Int64]
  {
    let me = try requireUser()
    let limit = try maxBytes()
    let at = now
    let access = db.access
    return try db.write { db in
      try files.map { f in
        try addInside(
          db, clientId: clientId, dealId: dealId, contactId: nil, f, me: me, at: at,
          limit: limit, access: access)
      }
    }
  }

  /// Adds one file inside the caller's transaction (a sent document keeps its printout).
  func addInside(
    _ db: Database, clientId: Int64?, dealId: Int64?, contactId: Int64?, _ f: AttachmentFile,
    me: Int64, at: Date, limit: Int, access: ClientAccess
  ) throws -> Int64 {
    let name = TextFold.sanitizeLine(f.name).replacingOccurrences(of: "/", with: "_")
    guard !name.isEmpty else {
      throw fail(l.pick("file name", "имя файла"), "is empty", "пустое")
    }
    if f.data.count > limit {
      throw fail(
        name,
        "is \(Self.sizeText(Int64(f.data.count), .en)), over the limit of \(Self.sizeText(Int64(limit), .en)) (setting attachment_max_mb)",
        "— \(Self.sizeText(Int64(f.data.count), .ru)), больше предела \(Self.sizeText(Int64(limit), .ru)) (настройка attachment_max_mb)"
      )
    }
    var client = clientId
    if let dealId {
      guard
        let owner = try Int64.fetchOne(
          db, sql: "SELECT client_id FROM deal WHERE id = ?", arguments: [dealId])
      else { throw CRMError.notFound(what: l.pick("deal", "сделка"), id: dealId) }
      if let clientId, clientId != owner {
        throw fail(
          l.pick("deal", "сделка"), "№\(dealId) belongs to another client",
          "№\(dealId) принадлежит другому клиенту")
      }
      client = owner
    }
    guard let client else {
      throw fail(
        l.pick("client", "клиент"), "name a client or a deal", "укажите клиента или сделку")
    }
    let live = try Int64.fetchOne(
      db, sql: "SELECT id FROM client WHERE id = ? AND deleted_at IS NULL", arguments: [client])
    let hidden = try access.hides(db, clientId: client)
    if live == nil || hidden {
      throw CRMError.notFound(what: l.pick("client", "клиент"), id: client)
    }
    let hash = AttachmentSHA256.hex(f.data)
    try db.execute(
      sql: "INSERT OR IGNORE INTO blob (sha256, size, data) VALUES (?, ?, ?)",
      arguments: [hash, f.data.count, f.data])
    let mime = f.mime.isEmpty ? AttachmentFile.mime(forName: name) : f.mime
    try db.execute(
      sql: """
        INSERT INTO attachment (client_id, deal_id, contact_id, name, mime, sha256, size, user_id,
          created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        client, dealId, contactId, name, mime, hash, f.data.count, me, at.timeIntervalSince1970,
      ])
    return db.lastInsertedRowID
  }

  /// The attachments of a client (its deals' too) or of one deal, newest first.
  public func list(clientId: Int64? = nil, dealId: Int64? = nil, limit: Int = 200, offset: Int = 0)
    throws(CRMError) -> [Attachment]
  {
    let access = db.access
    return try db.read { db in
      var sql = Self.select + " WHERE " + access.condition(clientIdColumn: "a.client_id")
      var args: [(any DatabaseValueConvertible)?] = []
      if let dealId {
        sql += " AND a.deal_id = ?"
        args.append(dealId)
      } else if let clientId {
        sql += " AND a.client_id = ?"
        args.append(clientId)
      }
      sql += " ORDER BY a.id DESC LIMIT ? OFFSET ?"
      args += [limit, offset]
      return try Row.fetchAll(
        db, sql: sql, arguments: StatementArguments(args.map { $0?.databaseValue ?? .null })
      ).map(Self.attachment)
    }
  }

  /// One attachment with its bytes; nil when there is none or its client is hidden.
  public func get(_ id: Int64) throws(CRMError) -> (Attachment, Data)? {
    let access = db.access
    return try db.read { db in
      guard
        let r = try Row.fetchOne(
          db,
          sql: Self.select + " WHERE a.id = ? AND "
            + access.condition(clientIdColumn: "a.client_id"), arguments: [id])
      else { return nil }
      let a = Self.attachment(r)
      let data =
        try Data.fetchOne(db, sql: "SELECT data FROM blob WHERE sha256 = ?", arguments: [a.sha256])
        ?? Data()
      return (a, data)
    }
  }

  /// Removes an attachment; its blob goes too when no other attachment names it.
  public func remove(_ id: Int64) throws(CRMError) {
    _ = try requireUser()
    let access = db.access
    try db.write { db in
      guard
        let hash = try String.fetchOne(
          db,
          sql: "SELECT a.sha256 FROM attachment a WHERE a.id = ? AND "
            + access.condition(clientIdColumn: "a.client_id"), arguments: [id])
      else { throw CRMError.notFound(what: l.pick("attachment", "вложение"), id: id) }
      try db.execute(sql: "DELETE FROM attachment WHERE id = ?", arguments: [id])
      try db.execute(
        sql: """
          DELETE FROM blob WHERE sha256 = ?
            AND NOT EXISTS (SELECT 1 FROM attachment WHERE sha256 = blob.sha256)
          """, arguments: [hash])
    }
  }

  /// `1,5 МБ`, `820 КБ`, `12 Б`.
  public static func sizeText(_ bytes: Int64, _ l: Language) -> String {
    let dec = { (v: Double) -> String in
      let s = String(format: "%.1f", v)
      return l == .ru ? s.replacingOccurrences(of: ".", with: ",") : s
    }
    if bytes >= 1024 * 1024 { return dec(Double(bytes) / 1_048_576) + l.pick(" MB", " МБ") }
    if bytes >= 1024 { return "\(Int((Double(bytes) / 1024).rounded()))" + l.pick(" KB", " КБ") }
    return "\(bytes)" + l.pick(" B", " Б")
  }
}

extension ServiceContext {
  public var attachments: AttachmentService { AttachmentService(self) }
}
