import Foundation

/// What kind of interaction a contact is.
public enum ContactKind: String, Codable, Sendable, CaseIterable {
  case call, meeting, letter, email, request, complaint, visit, other

  /// The name people read.
  public func name(_ l: Language) -> String {
    switch self {
    case .call: return l.pick("call", "звонок")
    case .meeting: return l.pick("meeting", "встреча")
    case .letter: return l.pick("letter", "письмо")
    case .email: return l.pick("e-mail", "e-mail")
    case .request: return l.pick("request", "заявка")
    case .complaint: return l.pick("complaint", "жалоба")
    case .visit: return l.pick("service visit", "выезд")
    case .other: return l.pick("other", "другое")
    }
  }

  /// The second key of "log contact" (l, then this letter; the ЙЦУКЕН layout maps to the same).
  public var key: Character {
    switch self {
    case .call: return "c"
    case .meeting: return "m"
    case .letter: return "l"
    case .email: return "e"
    case .request: return "r"
    case .complaint: return "x"
    case .visit: return "v"
    case .other: return "o"
    }
  }

  /// Reads a kind typed in either language: `call`, `звонок`, `e-mail`, `встреча`…
  public init?(text: String) {
    let t = TextFold.key(text.trimmingSpaces()).replacingOccurrences(of: "-", with: "")
    let table: [String: ContactKind] = [
      "call": .call, "phone": .call, "звонок": .call, "звонить": .call, "з": .call,
      "meeting": .meeting, "meet": .meeting, "встреча": .meeting,
      "letter": .letter, "mail": .letter, "письмо": .letter, "почта": .letter,
      "email": .email, "емейл": .email, "имейл": .email, "почтаэл": .email, "эл.письмо": .email,
      "request": .request, "заявка": .request, "запрос": .request,
      "complaint": .complaint, "жалоба": .complaint, "претензия": .complaint,
      "visit": .visit, "servicevisit": .visit, "service": .visit, "выезд": .visit,
      "визит": .visit,
      "other": .other, "другое": .other, "прочее": .other,
    ]
    if let k = table[t] ?? ContactKind(rawValue: t) {
      self = k
    } else {
      return nil
    }
  }
}

/// Where a contact stands.
public enum ContactStatus: String, Codable, Sendable, CaseIterable {
  /// To be done at `dueAt`.
  case planned
  /// Happened; `doneAt` and usually an outcome.
  case done
  /// Tried and not reached (no answer); a retry is planned by the no-answer rule.
  case missed
  /// Will not happen.
  case cancelled

  public func name(_ l: Language) -> String {
    switch self {
    case .planned: return l.pick("planned", "запланирован")
    case .done: return l.pick("done", "выполнен")
    case .missed: return l.pick("no answer", "не дозвонился")
    case .cancelled: return l.pick("cancelled", "отменён")
    }
  }
}

/// Who started the contact.
public enum ContactDirection: String, Codable, Sendable, CaseIterable {
  case incoming = "in"
  case outgoing = "out"
}

/// One interaction with a client: a call, meeting, letter… planned or done.
public struct Contact: Codable, Equatable, Sendable {
  public var id: Int64?
  public var clientId: Int64
  public var personId: Int64?
  public var dealId: Int64?
  public var kind: ContactKind
  public var direction: ContactDirection
  public var status: ContactStatus
  /// When it is planned for (planned contacts always have one).
  public var dueAt: Date?
  public var durationMinutes: Int
  public var doneAt: Date?
  public var subject: String
  public var outcome: String
  public var notes: String
  /// The responsible user.
  public var userId: Int64
  public var authorId: Int64?
  public var remindAt: Date?
  /// "every N days/weeks/months" as stored (`3d`, `2w`, `1m`), or empty.
  public var recurrence: String
  /// The first contact of a recurring series, or of a chain of no-answer retries.
  public var seriesId: Int64?
  /// How many times in a row nobody answered before this one was planned.
  public var attempt: Int
  /// Bumped on every reschedule (iCalendar SEQUENCE).
  public var sequence: Int
  public var createdAt: Date?
  public var updatedAt: Date?
  /// The row version the value was loaded at (bumped by every update); an update carrying it
  /// is refused when the row changed meanwhile (`CRMError.conflict`). Nil: not checked.
  public var version: Int64?

  public init(
    id: Int64? = nil, clientId: Int64, kind: ContactKind, status: ContactStatus = .planned,
    direction: ContactDirection = .outgoing, dueAt: Date? = nil, durationMinutes: Int = 0,
    doneAt: Date? = nil, subject: String = "", outcome: String = "", notes: String = "",
    userId: Int64, authorId: Int64? = nil, remindAt: Date? = nil, recurrence: String = "",
    personId: Int64? = nil, dealId: Int64? = nil
  ) {
    self.id = id
    self.clientId = clientId
    self.personId = personId
    self.dealId = dealId
    self.kind = kind
    self.direction = direction
    self.status = status
    self.dueAt = dueAt
    self.durationMinutes = durationMinutes
    self.doneAt = doneAt
    self.subject = subject
    self.outcome = outcome
    self.notes = notes
    self.userId = userId
    self.authorId = authorId
    self.remindAt = remindAt
    self.recurrence = recurrence
    self.seriesId = nil
    self.attempt = 0
    self.sequence = 0
  }

  /// When it happened or is to happen.
  public var at: Date? { status == .planned ? dueAt : (doneAt ?? dueAt) }

  /// The end of the planned time (a contact without a duration takes 15 minutes in calendars).
  public var endsAt: Date? {
    dueAt.map { $0.addingTimeInterval(Double(max(durationMinutes, 15)) * 60) }
  }
}

/// A contact as lists show it: with the client's name and segment and the user's login.
public struct ContactRow: Equatable, Sendable {
  public var contact: Contact
  public var clientName: String
  /// The name without the legal form, for narrow places (calendar cells).
  public var clientShortName: String
  public var clientSegment: String
  public var clientDeleted: Bool
  public var userLogin: String
  public var personName: String?

  public init(
    contact: Contact, clientName: String, clientShortName: String, clientSegment: String = "",
    clientDeleted: Bool = false, userLogin: String, personName: String? = nil
  ) {
    self.contact = contact
    self.clientName = clientName
    self.clientShortName = clientShortName
    self.clientSegment = clientSegment
    self.clientDeleted = clientDeleted
    self.userLogin = userLogin
    self.personName = personName
  }

  public var id: Int64 { contact.id ?? 0 }
}

/// One line of the reminders: a planned contact that is overdue or due soon.
public struct Reminder: Equatable, Sendable {
  public var row: ContactRow
  public var overdue: Bool
  /// Seconds past due (0 when not yet due).
  public var lateBy: TimeInterval
  public var vip: Bool

  public init(row: ContactRow, overdue: Bool, lateBy: TimeInterval, vip: Bool) {
    self.row = row
    self.overdue = overdue
    self.lateBy = lateBy
    self.vip = vip
  }
}

/// A client nobody has been in touch with for longer than its segment's cadence.
public struct LosingTouch: Equatable, Sendable {
  public var clientId: Int64
  public var clientName: String
  public var segment: String
  /// The last done contact, nil when there never was one.
  public var lastContact: Date?
  public var cadenceDays: Int
  /// Whole days past the cadence.
  public var daysOver: Int

  public init(
    clientId: Int64, clientName: String, segment: String, lastContact: Date?, cadenceDays: Int,
    daysOver: Int
  ) {
    self.clientId = clientId
    self.clientName = clientName
    self.segment = segment
    self.lastContact = lastContact
    self.cadenceDays = cadenceDays
    self.daysOver = daysOver
  }
}

/// What a handover moved.
public struct HandoverResult: Equatable, Sendable {
  public var clients: Int
  public var contacts: Int
  public var deals: Int

  public init(clients: Int, contacts: Int, deals: Int) {
    self.clients = clients
    self.contacts = contacts
    self.deals = deals
  }
}
