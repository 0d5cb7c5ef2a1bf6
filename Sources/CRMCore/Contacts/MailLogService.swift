import Foundation
import GRDB

/// A message to log, already decoded (CRMExchange's `MIMEParser` makes it from the bytes).
public struct MailRecord: Equatable, Sendable {
  public var messageId: String
  public var inReplyTo: String
  public var direction: ContactDirection
  public var sentAt: Date
  /// `Name <address>` of the sender.
  public var from: String
  /// The recipients (To and Cc), `Name <address>` each.
  public var to: [String]
  public var subject: String
  public var body: String
  public var attachmentNames: [String]

  public init(
    messageId: String, inReplyTo: String = "", direction: ContactDirection, sentAt: Date,
    from: String, to: [String], subject: String, body: String, attachmentNames: [String] = []
  ) {
    self.messageId = messageId
    self.inReplyTo = inReplyTo
    self.direction = direction
    self.sentAt = sentAt
    self.from = from
    self.to = to
    self.subject = subject
    self.body = body
    self.attachmentNames = attachmentNames
  }
}

/// A client (and maybe one of its contact persons) that an e-mail address belongs to.
public struct MailMatch: Equatable, Sendable, Hashable {
  public var clientId: Int64
  public var clientName: String
  public var personId: Int64?
  public var personName: String?
  public var address: String

  public init(
    clientId: Int64, clientName: String, personId: Int64? = nil, personName: String? = nil,
    address: String
  ) {
    self.clientId = clientId
    self.clientName = clientName
    self.personId = personId
    self.personName = personName
    self.address = address
  }
}

/// The e-mail addresses of the clients the signed-in user sees, built once (one query) and
/// looked up in memory: what `crm mail sync` matches thousands of messages against.
public struct MailAddressBook: Sendable {
  public var byAddress: [String: [MailMatch]]

  public init(byAddress: [String: [MailMatch]]) { self.byAddress = byAddress }

  /// The matches of these addresses, grouped so that each client appears once (with its
  /// contact person when exactly one of the client's persons matched).
  public func matches(_ addresses: [String]) -> [MailMatch] {
    var byClient: [Int64: [MailMatch]] = [:]
    var order: [Int64] = []
    for a in addresses {
      for m in byAddress[a.lowercased()] ?? [] {
        if byClient[m.clientId] == nil { order.append(m.clientId) }
        byClient[m.clientId, default: []].append(m)
      }
    }
    return order.map { id in
      let all = byClient[id]!
      let persons = Set(all.compactMap(\.personId))
      var m = all.first(where: { $0.personId != nil }) ?? all[0]
      if persons.count != 1 {
        m.personId = nil
        m.personName = nil
      }
      return m
    }
  }
}

/// What logging one message to one client did.
public enum MailLogResult: Equatable, Sendable {
  /// A new e-mail contact (its id).
  case logged(contactId: Int64, clientId: Int64)
  /// This Message-ID was already logged for this client.
  case already(clientId: Int64)
}

/// A message of a client's mail thread, as the client card lists it.
public struct MailThreadItem: Equatable, Sendable {
  public var id: Int64
  public var contactId: Int64
  public var direction: ContactDirection
  public var sentAt: Date
  public var from: String
  public var to: String
  public var subject: String
  public var attachmentNames: [String]
}

/// Logging mail as e-mail contacts of clients: matching addresses to clients and contact
/// persons (visibility applied), one contact plus one `mail_message` row per client, idempotent
/// by Message-ID, and the thread of a client's mail.
public struct MailLogService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// The addresses of every visible client and its contact persons (trashed ones left out).
  public func addressBook() throws(CRMError) -> MailAddressBook {
    let seen = db.access.condition(client: "c")
    return try db.read { db in
      var book: [String: [MailMatch]] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT e.address, e.client_id, e.person_id, c.name, c.legal_form, p.name AS person_name
          FROM email e JOIN client c ON c.id = e.client_id
          LEFT JOIN contact_person p ON p.id = e.person_id
          WHERE c.deleted_at IS NULL AND (e.person_id IS NULL OR p.deleted_at IS NULL)
            AND \(seen)
          ORDER BY e.client_id, e.position
          """)
      while let r = try rows.next() {
        let address: String = r["address"]
        let key = address.trimmingCharacters(in: .whitespaces).lowercased()
        guard !key.isEmpty else { continue }
        let m = MailMatch(
          clientId: r["client_id"],
          clientName: Client.displayName(name: r["name"], legalForm: r["legal_form"] ?? ""),
          personId: r["person_id"], personName: r["person_name"], address: address)
        if !(book[key]?.contains(where: { $0.clientId == m.clientId && $0.personId == m.personId })
          ?? false)
        {
          book[key, default: []].append(m)
        }
      }
      return MailAddressBook(byAddress: book)
    }
  }

  /// The clients these addresses belong to (each client once).
  public func matches(_ addresses: [String]) throws(CRMError) -> [MailMatch] {
    try addressBook().matches(addresses)
  }

  /// Whether this Message-ID is logged for this client already.
  public func isLogged(messageId: String, clientId: Int64) throws(CRMError) -> Bool {
    try db.read { db in
      try Bool.fetchOne(
        db, sql: "SELECT 1 FROM mail_message WHERE message_id = ? AND client_id = ?",
        arguments: [messageId, clientId]) ?? false
    }
  }

  /// Logs `mail` to each of `targets` in one transaction: all or nothing.
  public func log(_ mail: MailRecord, to targets: [MailMatch]) throws(CRMError) -> [MailLogResult] {
    let me = try context.contacts.requireUser()
    let at = now
    return try db.write { db in
      try targets.map { try logInside(db, mail, to: $0, me: me, at: at) }
    }
  }

  /// A match for a client named by id (`--client`), with the contact person whose address is
  /// among `addresses` when there is exactly one.
  public func target(clientId: Int64, addresses: [String]) throws(CRMError) -> MailMatch {
    guard let client = try context.clients.client(clientId) else {
      throw CRMError.notFound(what: language.pick("client", "клиент"), id: clientId)
    }
    let keys = Set(addresses.map { $0.lowercased() })
    let persons = try context.clients.persons(of: clientId).filter { p in
      p.emails.contains { keys.contains($0.lowercased()) }
    }
    let p = persons.count == 1 ? persons[0] : nil
    return MailMatch(
      clientId: clientId, clientName: client.displayName, personId: p?.id, personName: p?.name,
      address: addresses.first ?? "")
  }

  /// Inserts one message for one client inside the caller's write transaction (validated and
  /// audited as a contact). For `crm mail sync`, which writes many messages per transaction.
  public func logInside(
    _ db: Database, _ mail: MailRecord, to target: MailMatch, me: Int64, at: Date
  ) throws -> MailLogResult {
    if try Bool.fetchOne(
      db.cachedStatement(
        sql: "SELECT 1 FROM mail_message WHERE message_id = ? AND client_id = ?"),
      arguments: [mail.messageId, target.clientId]) ?? false
    {
      return .already(clientId: target.clientId)
    }
    let l = language
    var notes = ""
    let head =
      mail.direction == .incoming
      ? l.pick("From: ", "От: ") + mail.from
      : l.pick("To: ", "Кому: ") + mail.to.joined(separator: ", ")
    notes += String(head.prefix(500))
    if !mail.attachmentNames.isEmpty {
      notes +=
        "\n" + l.pick("Attachments: ", "Вложения: ")
        + String(mail.attachmentNames.joined(separator: ", ").prefix(1000))
    }
    if !mail.body.isEmpty {
      let excerpt = mail.body.count > 1500 ? String(mail.body.prefix(1500)) + "…" : mail.body
      notes += "\n\n" + excerpt
    }
    var subject = TextFold.sanitizeLine(mail.subject)
    if subject.count > 300 { subject = String(subject.prefix(299)) + "…" }
    if subject.isEmpty { subject = l.pick("(no subject)", "(без темы)") }
    let contact = Contact(
      clientId: target.clientId, kind: .email, status: .done, direction: mail.direction,
      dueAt: mail.sentAt, doneAt: mail.sentAt, subject: subject, notes: notes, userId: me,
      authorId: me, personId: target.personId)
    let contactId = try context.contacts.logInside(db, contact, at: at)
    try db.cachedStatement(
      sql: """
        INSERT INTO mail_message (contact_id, client_id, message_id, in_reply_to, direction,
          sent_at, from_addr, to_addrs, subject, body, attachment_names)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      contactId, target.clientId, mail.messageId, mail.inReplyTo, mail.direction.rawValue,
      mail.sentAt.timeIntervalSince1970, mail.from, mail.to.joined(separator: ", "),
      mail.subject, mail.body, mail.attachmentNames.joined(separator: "\n"),
    ])
    return .logged(contactId: contactId, clientId: target.clientId)
  }

  // MARK: Maildir entries

  /// The Maildir entries read already (their unique names).
  public func seenEntries() throws(CRMError) -> Set<String> {
    try db.read { db in
      var out = Set<String>()
      let cursor = try String.fetchCursor(db, sql: "SELECT key FROM maildir_entry")
      while let k = try cursor.next() { out.insert(k) }
      return out
    }
  }

  /// Records a Maildir entry as read, inside the caller's transaction.
  public func markEntry(_ db: Database, key: String, messageId: String) throws {
    try db.cachedStatement(
      sql: "INSERT OR REPLACE INTO maildir_entry (key, message_id) VALUES (?, ?)"
    ).execute(arguments: [key, messageId])
  }

  /// Runs `body` in one write transaction (a batch of `crm mail sync`), with the signed-in
  /// user's id and the time of the change.
  public func batch<T>(_ body: (Database, Int64, Date) throws -> T) throws(CRMError) -> T {
    let me = try context.contacts.requireUser()
    let at = now
    return try db.write { db in try body(db, me, at) }
  }

  // MARK: The thread

  /// The newest messages of a client first, without their text; nothing for a client the
  /// user may not see.
  public func thread(clientId: Int64, limit: Int = 200, offset: Int = 0) throws(CRMError)
    -> [MailThreadItem]
  {
    try db.read { db in
      guard try !self.db.access.hides(db, clientId: clientId) else { return [] }
      return try Row.fetchAll(
        db,
        sql: """
          SELECT id, contact_id, direction, sent_at, from_addr, to_addrs, subject,
            attachment_names
          FROM mail_message WHERE client_id = ? ORDER BY sent_at DESC, id DESC LIMIT ? OFFSET ?
          """, arguments: [clientId, limit, offset]
      ).map { r in
        let names: String = r["attachment_names"]
        return MailThreadItem(
          id: r["id"], contactId: r["contact_id"],
          direction: ContactDirection(rawValue: r["direction"]) ?? .incoming,
          sentAt: Date(timeIntervalSince1970: r["sent_at"]), from: r["from_addr"],
          to: r["to_addrs"], subject: r["subject"],
          attachmentNames: names.isEmpty ? [] : names.components(separatedBy: "\n"))
      }
    }
  }

  /// The text of one logged message; nil when there is none or its client is hidden.
  public func body(messageRowId id: Int64) throws(CRMError) -> String? {
    try db.read { db in
      guard
        let r = try Row.fetchOne(
          db, sql: "SELECT client_id, body FROM mail_message WHERE id = ?", arguments: [id]),
        try !self.db.access.hides(db, clientId: r["client_id"])
      else { return nil }
      return r["body"]
    }
  }

  /// How many messages a client has logged.
  public func count(clientId: Int64) throws(CRMError) -> Int {
    try db.read { db in
      guard try !self.db.access.hides(db, clientId: clientId) else { return 0 }
      return try Int.fetchOne(
        db, sql: "SELECT count(*) FROM mail_message WHERE client_id = ?", arguments: [clientId])
        ?? 0
    }
  }
}
