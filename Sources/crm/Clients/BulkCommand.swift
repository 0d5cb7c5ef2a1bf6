import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// MARK: crm bulk

/// A `bulk` change: the clients (`target`), how it runs (`options`) and the change itself, read
/// against the database; the run (resolve, apply, print the result) is written once.
protocol BulkEdit: CRMCommand {
  var target: BulkCommand.Target { get }
  var options: BulkCommand.Run { get }
  func change(_ session: Session) throws -> BulkChange
}

extension BulkEdit {
  func run(_ session: Session) throws {
    _ = try session.writer()
    let t = try target.resolve(session.database, global)
    let c = try change(session)
    let result = try session.context.bulk.apply(t, c, dryRun: options.dryRun)
    if options.output.json {
      var object: [String: Any] = [
        "change": c.name, "matched": result.matched, "changed": result.changed,
        "unchanged": result.unchanged, "dry_run": result.dryRun,
        "assigned_to_acting_user": result.assignedToActingUser,
      ]
      object["operation"] = result.operation.map { $0 as Any } ?? NSNull()
      printJSON(object)
    } else {
      print(result.summary(global.language))
    }
  }
}

struct BulkCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bulk",
    abstract: tr(
      "Change many clients at once: owner, segment, a tag, lead source, or plan a contact.",
      "Изменить сразу многих клиентов: ответственный, сегмент, тег, источник или план контакта."),
    discussion: tr(
      """
      Choose the clients with --ids 1,2,3, with filters (--segment, --owner, --tag, --search, \
      --trash) or with --all. Nothing is asked: the count is printed; --dry-run prints it and \
      changes nothing. Each client's change is audited; `crm bulk undo` undoes your latest bulk \
      change as a whole.
      """,
      """
      Выберите клиентов через --ids 1,2,3, фильтрами (--segment, --owner, --tag, --search, \
      --trash) или --all. Ничего не спрашивается: выводится число клиентов; --dry-run выводит его \
      и ничего не меняет. Изменение каждого клиента попадает в журнал; `crm bulk undo` отменяет \
      ваше последнее массовое изменение целиком.
      """),
    subcommands: [
      SetOwner.self, SetSegment.self, AddTag.self, RemoveTag.self, SetSource.self,
      PlanContact.self, Undo.self,
    ])

  /// Which clients: explicit ids, the list's filters, or all of them.
  struct Target: ParsableArguments {
    @Option(
      help: tr(
        "Client ids, separated by commas: 1,2,3.",
        "Номера клиентов через запятую: 1,2,3.")) var ids: String?
    @Option(
      help: tr(
        "Clients of this segment.",
        "Клиенты этого сегмента.")) var segment: String?
    @Option(
      help: tr(
        "Clients of this owner (login).",
        "Клиенты этого ответственного (логин).")) var owner: String?
    @Option(
      help: tr(
        "Clients with this tag.",
        "Клиенты с этим тегом.")) var tag: String?
    @Option(
      help: tr(
        "Clients this search finds (like / in the list).",
        "Клиенты, которых находит этот поиск (как / в списке).")) var search: String?
    @Flag(
      help: tr(
        "Clients in the trash instead of live ones (with the filters).",
        "Клиенты из корзины вместо действующих (с фильтрами).")) var trash = false
    @Flag(
      help: tr(
        "Every live client.",
        "Все действующие клиенты.")) var all = false

    func resolve(_ database: CRMDatabase, _ g: Global) throws -> BulkTarget {
      let l = g.language
      let filtered = segment != nil || owner != nil || tag != nil || search != nil || trash
      func refuse(_ field: String, _ en: String, _ ru: String) -> Failure {
        fail(.invalid(field: field, problem: l.pick(en, ru)), g)
      }
      if let ids {
        if filtered || all {
          throw refuse(
            "--ids", "cannot be combined with filters or --all",
            "нельзя сочетать с фильтрами или --all")
        }
        var list: [Int64] = []
        for part in ids.split(separator: ",", omittingEmptySubsequences: false) {
          let t = part.trimmingCharacters(in: .whitespaces)
          guard let id = Int64(t), id > 0 else {
            throw refuse(
              "--ids", "«\(t)» is not a client id; use numbers separated by commas: 1,2,3",
              "«\(t)» — не номер клиента; укажите номера через запятую: 1,2,3")
          }
          list.append(id)
        }
        return .ids(list)
      }
      if all && filtered {
        throw refuse(
          "--all", "cannot be combined with filters", "нельзя сочетать с фильтрами")
      }
      if !all && !filtered {
        throw refuse(
          l.pick("clients", "клиенты"),
          "none chosen: give --ids, a filter (--segment, --owner, --tag, --search, --trash) or --all",
          "не выбраны: укажите --ids, фильтр (--segment, --owner, --tag, --search, --trash) или --all"
        )
      }
      var q = ClientListQuery(trash: trash)
      if let search { q.search = search }
      if let segment { q.segment = segment }
      if let tag { q.tag = tag }
      if let owner {
        guard let u = try database.findUser(login: owner) else {
          throw refuse(
            "--owner", "no user «\(owner)»; known: \(try g.knownLogins(database))",
            "нет пользователя «\(owner)»; есть: \(try g.knownLogins(database))")
        }
        q.ownerId = u.id
      }
      return .query(q)
    }
  }

  /// Options every change takes.
  struct Run: ParsableArguments {
    @Flag(
      help: tr(
        "Print the count and what would change; change nothing.",
        "Вывести число клиентов и что изменится; ничего не менять.")) var dryRun = false
    @OptionGroup var output: JSONOutput

  }

  /// An active user by login, or exit 1 naming the option.
  static func activeUser(_ login: String, option: String, _ database: CRMDatabase, _ g: Global)
    throws -> User
  {
    let l = g.language
    guard let u = try database.findUser(login: login) else {
      throw fail(
        .invalid(
          field: option,
          problem: l.pick(
            "no user «\(login)»; known: \(try g.knownLogins(database))",
            "нет пользователя «\(login)»; есть: \(try g.knownLogins(database))")), g)
    }
    if !u.active {
      throw fail(
        .invalid(
          field: option,
          problem: l.pick(
            "«\(login)» is deactivated; choose an active user",
            "«\(login)» деактивирован; выберите активного пользователя")), g)
    }
    return u
  }

  struct SetOwner: BulkEdit {
    static let configuration = CommandConfiguration(
      commandName: "set-owner",
      abstract: tr(
        "Give the clients to this user (login, must be active).",
        "Передать клиентов этому пользователю (логин, должен быть активен)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The new owner's login.",
        "Логин нового ответственного.")) var login: String
    @OptionGroup var target: Target
    @OptionGroup var options: Run

    func change(_ session: Session) throws -> BulkChange {
      .setOwner(try BulkCommand.activeUser(login, option: "LOGIN", session.database, global).id)
    }
  }

  struct SetSegment: BulkEdit {
    static let configuration = CommandConfiguration(
      commandName: "set-segment",
      abstract: tr(
        "Set the segment (\"\" clears it).",
        "Задать сегмент (\"\" очищает)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The segment; an empty one clears it.",
        "Сегмент; пустой очищает.")) var segmentValue: String
    @OptionGroup var target: Target
    @OptionGroup var options: Run

    func change(_ session: Session) throws -> BulkChange { .setSegment(segmentValue) }
  }

  struct AddTag: BulkEdit {
    static let configuration = CommandConfiguration(
      commandName: "add-tag",
      abstract: tr(
        "Add a tag (clients that have it are left as they are).",
        "Добавить тег (у кого он уже есть, те не меняются)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The tag.",
        "Тег.")) var tagValue: String
    @OptionGroup var target: Target
    @OptionGroup var options: Run

    func change(_ session: Session) throws -> BulkChange { .addTag(tagValue) }
  }

  struct RemoveTag: BulkEdit {
    static let configuration = CommandConfiguration(
      commandName: "remove-tag",
      abstract: tr(
        "Remove a tag (compared without case and ё/е).",
        "Убрать тег (сравнивается без учёта регистра и ё/е)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The tag.",
        "Тег.")) var tagValue: String
    @OptionGroup var target: Target
    @OptionGroup var options: Run

    func change(_ session: Session) throws -> BulkChange { .removeTag(tagValue) }
  }

  struct SetSource: BulkEdit {
    static let configuration = CommandConfiguration(
      commandName: "set-source",
      abstract: tr(
        "Set the lead source (\"\" clears it).",
        "Задать источник лида (\"\" очищает)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The lead source.",
        "Источник лида.")) var source: String
    @OptionGroup var target: Target
    @OptionGroup var options: Run

    func change(_ session: Session) throws -> BulkChange { .setSource(source) }
  }

  struct PlanContact: BulkEdit {
    static let configuration = CommandConfiguration(
      commandName: "plan-contact",
      abstract: tr(
        "Plan a contact for each client, for its owner (or --assignee).",
        "Запланировать контакт каждому клиенту, для его ответственного (или --assignee)."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "call, meeting, letter, email, request, complaint, visit, other (or Russian).",
        "call, meeting, letter, email, request, complaint, visit, other (или по-русски)."))
    var kind: String
    @Option(
      help: tr(
        "When: 2026-11-25 10:00, 25.11.2026 10:00, +3d, tomorrow 10:00, пятница…",
        "Когда: 2026-11-25 10:00, 25.11.2026 10:00, +3d, завтра 10:00, пятница…"))
    var at: String
    @Option(
      help: tr(
        "Subject.",
        "Тема.")) var subject = ""
    @Option(
      help: tr(
        "Responsible user for every contact (default: each client's owner).",
        "Ответственный за каждый контакт (по умолчанию: ответственный клиента)."))
    var assignee: String?
    @OptionGroup var target: Target
    @OptionGroup var options: Run

    func check() throws {
      _ = try parseKind(kind, global)
    }

    func change(_ session: Session) throws -> BulkChange {
      let k = try parseKind(kind, global)
      let due = try Times(global, session.database).followUp(at, field: "--at")
      let who = try assignee.map {
        try BulkCommand.activeUser($0, option: "--assignee", session.database, global).id
      }
      return .planContact(BulkContactPlan(kind: k, dueAt: due, subject: subject, assignee: who))
    }
  }

  struct Undo: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "undo",
      abstract: tr(
        "Undo your latest bulk change as a whole (clients changed since are skipped).",
        "Отменить ваше последнее массовое изменение целиком (клиенты, изменённые после, пропускаются)."
      ))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let me = try session.writer()
      let service = session.context.bulk
      guard let r = try service.undo() else {
        throw Failure(
          message: global.language.pick(
            "no bulk change of \(me.login) to undo", "нет массовых изменений \(me.login) для отмены"
          ),
          code: 1)
      }
      output.show(
        [
          "operation": r.operation, "change": r.change, "restored": r.restored,
          "skipped": r.skipped,
        ] as [String: Any], else: r.summary(global.language))
    }
  }
}
