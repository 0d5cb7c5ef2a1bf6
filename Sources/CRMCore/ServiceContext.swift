import Foundation

/// What every core service acts with: the open database, who acts, their language and time zone,
/// and the clock. Built once per process (the CLI session, the interface's `AppContext`), and
/// every service is made from it, so none repeats these.
///
/// The acting user is the database's signed-in user (`CRMDatabase.signIn`), read when asked:
/// there is no other way to act as someone, and no service can disagree with what the database
/// lets that user see.
public struct ServiceContext: Sendable {
  public let db: CRMDatabase
  public let language: Language
  public let timeZone: TimeZone
  /// Tests only: who acts instead of the signed-in user (see `init(db:language:timeZone:actingAs:)`).
  let standIn: StandIn?

  struct StandIn: Sendable {
    let user: User?
  }

  public init(db: CRMDatabase, language: Language = .en, timeZone: TimeZone = .current) {
    self.db = db
    self.language = language
    self.timeZone = timeZone
    standIn = nil
  }

  /// Tests only: `user` acts, author of every change, while the database's sign-in still decides
  /// what is visible and which roles pass. Tests use it to act as several people on one in-memory
  /// database. Package access keeps it out of the public API; a test (`ActingUserTests`) fails
  /// when anything in `Sources/` but this file calls it.
  package init(db: CRMDatabase, language: Language, timeZone: TimeZone, actingAs user: User?) {
    self.db = db
    self.language = language
    self.timeZone = timeZone
    standIn = StandIn(user: user)
  }

  /// The signed-in user; nil before sign-in (internal tools) or for an unknown reader of a
  /// read-only file.
  public var user: User? { standIn.map(\.user) ?? db.viewer.user }
  public var userId: Int64? { user?.id }

  /// "Now" by the database's clock (injected in tests and benchmarks).
  public var now: Date { db.clock.now() }

  /// "Now" and the zone, for reading and writing local times.
  public var time: TimeContext { TimeContext(now: now, timeZone: timeZone) }

  /// Gregorian, weeks from Monday, in the user's zone.
  public var calendar: Calendar { time.calendar }

  /// A bad value of `field`, explained in the user's language.
  public func fail(_ field: String, _ en: String, _ ru: String) -> CRMError {
    .invalid(field: field, problem: language.pick(en, ru))
  }
}

/// A core service: made from a `ServiceContext`, from which it takes the database, the acting
/// user, the language, the zone and the clock.
public protocol CoreService: Sendable {
  var context: ServiceContext { get }
  init(_ context: ServiceContext)
}

extension CoreService {
  public var db: CRMDatabase { context.db }
  public var userId: Int64? { context.userId }
  public var language: Language { context.language }
  public var timeZone: TimeZone { context.timeZone }
  var l: Language { context.language }
  var now: Date { context.now }
  public var calendar: Calendar { context.calendar }

  func fail(_ field: String, _ en: String, _ ru: String) -> CRMError {
    context.fail(field, en, ru)
  }
}

extension ServiceContext {
  public var clients: ClientService { ClientService(self) }
  public var contacts: ContactService { ContactService(self) }
  public var mail: MailLogService { MailLogService(self) }
  public var deals: DealService { DealService(self) }
  public var pipelines: PipelineService { PipelineService(self) }
  public var money: MoneyService { MoneyService(self) }
  public var offers: OfferService { OfferService(self) }
  public var funnel: FunnelAnalytics { FunnelAnalytics(self) }
  public var activity: ActivityService { ActivityService(self) }
  public var imports: ClientImportService { ClientImportService(self) }
  public var bulk: BulkUpdateService { BulkUpdateService(self) }
  public var segments: SegmentService { SegmentService(self) }
  public var classification: ClassificationService { ClassificationService(self) }
  public var filters: SavedFilterService { SavedFilterService(self) }
  public var duplicates: DuplicateFinder { DuplicateFinder(self) }
  public var merges: MergeService { MergeService(self) }
  public var tasks: TaskService { TaskService(self) }
  public var campaigns: CampaignService { CampaignService(self) }
  public var targets: TargetService { TargetService(self) }
  public var leads: LeadService { LeadService(self) }
  public var users: UserAdmin { UserAdmin(self) }
  public var audit: AuditLog { AuditLog(self) }
  public var backups: BackupService { BackupService(self) }
}
