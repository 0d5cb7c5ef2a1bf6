import Foundation
import GRDB

/// The documents that can be sent by e-mail.
public enum SentDocumentKind: String, Sendable, CaseIterable {
  case offer, invoice, act

  /// `КП`, `счёт`, `акт`.
  public func name(_ l: Language) -> String {
    switch self {
    case .offer: return l.pick("offer", "КП")
    case .invoice: return l.pick("invoice", "счёт")
    case .act: return l.pick("act", "акт")
    }
  }
}

/// An address a document can go to: one of the client's own e-mails or a contact person's.
public struct MailRecipient: Equatable, Sendable {
  public var address: String
  /// The person's name, or the client's for the client's own addresses.
  public var name: String
  public var personId: Int64?

  public init(address: String, name: String, personId: Int64? = nil) {
    self.address = address
    self.name = name
    self.personId = personId
  }
}

/// What a send needs to know of a document before the message is written: its number, date,
/// client, amount and the addresses it may go to. Made by `SendService.plan`, which also checks
/// the document can be sent (an offer: a draft with lines; an invoice or act: not cancelled).
public struct SendPlan: Equatable, Sendable {
  public var kind: SentDocumentKind
  public var documentId: Int64
  public var number: String
  /// `YYYY-MM-DD`.
  public var date: String
  public var clientId: Int64
  public var clientName: String
  public var dealId: Int64?
  /// The total to pay, formatted in the plan's language.
  public var total: String
  /// An invoice's due day (`YYYY-MM-DD`) or empty.
  public var dueDate: String
  /// The deal's contact person's addresses first, then the client's, then the other persons'.
  public var recipients: [MailRecipient]
}

/// A message as it was handed to the mail command, for the log.
public struct SentMail: Equatable, Sendable {
  public var messageId: String
  public var inReplyTo: String
  public var from: String
  public var to: MailRecipient
  public var subject: String
  public var body: String
  public var attachment: AttachmentFile

  public init(
    messageId: String, inReplyTo: String, from: String, to: MailRecipient, subject: String,
    body: String, attachment: AttachmentFile
  ) {
    self.messageId = messageId
    self.inReplyTo = inReplyTo
    self.from = from
    self.to = to
    self.subject = subject
    self.body = body
    self.attachment = attachment
  }
}

/// The earlier message a new one answers: `In-Reply-To` and `References`.
public struct MailThread: Equatable, Sendable {
  public var inReplyTo: String
  public var references: [String]
}

/// Sending documents by e-mail, the part that touches the database: what may be sent to whom,
/// which logged message a new one answers, and — after the mail command succeeded — logging it
/// in one transaction: the outgoing e-mail contact with its `mail_message` (Message-ID), the
/// document moved as when it is marked sent (an offer becomes `sent`, a draft invoice is
/// issued), and the attached file kept with the deal or client.
public struct SendService: CoreService {
  public let context: ServiceContext
  var l: Language { context.language }

  public init(_ context: ServiceContext) { self.context = context }

  /// Reads document `id` of `kind` and the addresses it may go to; refuses a document that
  /// cannot be sent or a client with no e-mail.
  public func plan(_ kind: SentDocumentKind, _ id: Int64) throws(CRMError) -> SendPlan {
    var plan: SendPlan
    var personId: Int64?
    switch kind {
    case .offer:
      guard let d = try context.offers.offer(id) else {
        throw .notFound(what: kind.name(l), id: id)
      }
      _ = try db.read { db in try context.offers.checkSendable(db, id) }
      let deal = try context.deals.deal(d.offer.dealId)?.deal
      personId = deal?.personId
      plan = SendPlan(
        kind: kind, documentId: id, number: d.offer.number, date: d.offer.date,
        clientId: d.clientId, clientName: d.clientName, dealId: d.offer.dealId,
        total: d.totals.money(d.totals.gross).formatted(l), dueDate: "", recipients: [])
    case .invoice:
      guard let d = try context.money.invoice(id) else {
        throw .notFound(what: kind.name(l), id: id)
      }
      if d.invoice.stored == .cancelled {
        throw fail(
          kind.name(l), "№ \(d.invoice.number) is cancelled; it cannot be sent",
          "№ \(d.invoice.number) отменён; его нельзя отправить")
      }
      if let dealId = d.invoice.dealId { personId = try context.deals.deal(dealId)?.deal.personId }
      plan = SendPlan(
        kind: kind, documentId: id, number: d.invoice.number, date: d.invoice.date,
        clientId: d.invoice.clientId, clientName: d.clientName, dealId: d.invoice.dealId,
        total: d.totals.money(d.totals.gross).formatted(l), dueDate: d.invoice.dueDate,
        recipients: [])
    case .act:
      guard let d = try context.money.act(id) else { throw .notFound(what: kind.name(l), id: id) }
      if d.act.cancelled {
        throw fail(
          kind.name(l), "№ \(d.act.number) is cancelled; it cannot be sent",
          "№ \(d.act.number) отменён; его нельзя отправить")
      }
      plan = SendPlan(
        kind: kind, documentId: id, number: d.act.number, date: d.act.date,
        clientId: d.act.clientId, clientName: d.clientName, dealId: d.contract?.dealId,
        total: d.totals.money(d.totals.gross).formatted(l), dueDate: "", recipients: [])
    }
    plan.recipients = try recipients(clientId: plan.clientId, preferPerson: personId)
    if plan.recipients.isEmpty {
      throw fail(
        l.pick("e-mail", "e-mail"),
        "\(plan.clientName) and its contact persons have no e-mail; add one or give --to",
        "у клиента «\(plan.clientName)» и его контактных лиц нет e-mail; добавьте его или укажите --to"
      )
    }
    return plan
  }

  /// The client's and its contact persons' addresses (persons not in the trash), the preferred
  /// person's first, each address once.
  public func recipients(clientId: Int64, preferPerson: Int64? = nil) throws(CRMError)
    -> [MailRecipient]
  {
    let access = db.access
    return try db.read { db in
      if try access.hides(db, clientId: clientId) { return [] }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT e.address, e.person_id, p.name AS person, c.name, c.legal_form FROM email e
          JOIN client c ON c.id = e.client_id
          LEFT JOIN contact_person p ON p.id = e.person_id
          WHERE e.client_id = ? AND (e.person_id IS NULL OR p.deleted_at IS NULL)
          ORDER BY (e.person_id IS NOT NULL AND e.person_id = ?) DESC, e.person_id IS NOT NULL,
            p.name COLLATE NOCASE, e.person_id, e.position
          """, arguments: [clientId, preferPerson])
      var seen = Set<String>()
      var out: [MailRecipient] = []
      for r in rows {
        let address = (r["address"] as String).trimmingCharacters(in: .whitespaces)
        guard !address.isEmpty, seen.insert(address.lowercased()).inserted else { continue }
        let person: String? = r["person"]
        let name = person ?? Client.displayName(name: r["name"], legalForm: r["legal_form"])
        out.append(MailRecipient(address: address, name: name, personId: r["person_id"]))
      }
      return out
    }
  }

  /// The latest logged message from `address` to this client, which a new message answers.
  public func thread(clientId: Int64, address: String) throws(CRMError) -> MailThread? {
    try db.read { db in
      guard
        let r = try Row.fetchOne(
          db,
          sql: """
            SELECT message_id, in_reply_to FROM mail_message
            WHERE client_id = ? AND direction = 'in' AND lower(from_addr) LIKE ? ESCAPE '\\'
            ORDER BY sent_at DESC, id DESC LIMIT 1
            """,
          arguments: [clientId, "%" + Self.likeEscaped(address.lowercased()) + "%"])
      else { return nil }
      let id: String = r["message_id"]
      let parent: String = r["in_reply_to"]
      return MailThread(inReplyTo: id, references: (parent.isEmpty ? [] : [parent]) + [id])
    }
  }

  static func likeEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_")
  }

  /// What was logged for one sent message.
  public struct Logged: Equatable, Sendable {
    public var contactId: Int64
    public var mailId: Int64
    public var attachmentId: Int64
  }

  /// Logs `mail`, sent for `plan`, in one transaction (see the type). Called only after the mail
  /// command succeeded; a document someone changed meanwhile is refused here like in `plan`.
  public func record(_ plan: SendPlan, _ mail: SentMail) throws(CRMError) -> Logged {
    let me = try requireUser()
    let limit = try context.attachments.maxBytes()
    let at = now
    let attachments = context.attachments
    let access = db.access
    return try db.write { db in
      let contactId: Int64
      switch plan.kind {
      case .offer:
        contactId = try context.offers.markSent(db, plan.documentId, me: me, at: at)
        if let person = mail.to.personId {
          try db.execute(
            sql: "UPDATE contact SET person_id = ? WHERE id = ?", arguments: [person, contactId])
        }
      case .invoice:
        let stored = try String.fetchOne(
          db, sql: "SELECT status FROM invoice WHERE id = ?", arguments: [plan.documentId])
        if stored == "draft" {
          try context.money.issueInvoice(db, plan.documentId, me: me, at: at)
        } else if stored != "issued" {
          throw fail(
            plan.kind.name(l), "№ \(plan.number) is cancelled", "№ \(plan.number) отменён")
        }
        contactId = try logContact(db, plan, mail, me: me, at: at)
      case .act:
        contactId = try logContact(db, plan, mail, me: me, at: at)
      }
      try db.execute(
        sql: """
          INSERT INTO mail_message (contact_id, client_id, message_id, in_reply_to, direction,
            sent_at, from_addr, to_addrs, subject, body, attachment_names)
          VALUES (?, ?, ?, ?, 'out', ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          contactId, plan.clientId, mail.messageId, mail.inReplyTo, at.timeIntervalSince1970,
          mail.from, mail.to.address, mail.subject, mail.body, mail.attachment.name,
        ])
      let mailId = db.lastInsertedRowID
      let attachmentId = try attachments.addInside(
        db, clientId: plan.clientId, dealId: plan.dealId, contactId: contactId, mail.attachment,
        me: me, at: at, limit: limit, access: access)
      return Logged(contactId: contactId, mailId: mailId, attachmentId: attachmentId)
    }
  }

  /// The done outgoing e-mail contact of an invoice or act: «Счёт № 12 отправлен».
  func logContact(_ db: Database, _ plan: SendPlan, _ mail: SentMail, me: Int64, at: Date) throws
    -> Int64
  {
    let subject =
      plan.kind == .invoice
      ? l.pick("Invoice No. \(plan.number) sent", "Счёт № \(plan.number) отправлен")
      : l.pick("Act No. \(plan.number) sent", "Акт № \(plan.number) отправлен")
    let contact = Contact(
      clientId: plan.clientId, kind: .email, status: .done, direction: .outgoing, dueAt: at,
      doneAt: at, subject: subject,
      notes: l.pick("To: ", "Кому: ") + mail.to.address + "; "
        + l.pick("total: ", "сумма: ") + plan.total,
      userId: me, authorId: me, personId: mail.to.personId, dealId: plan.dealId)
    return try context.contacts.logInside(db, contact, at: at)
  }

  func requireUser() throws(CRMError) -> Int64 {
    guard let userId else {
      throw .other(
        l.pick("no acting user (read-only database?)", "нет пользователя (база только для чтения?)")
      )
    }
    return userId
  }
}

extension ServiceContext {
  public var sending: SendService { SendService(self) }
}
