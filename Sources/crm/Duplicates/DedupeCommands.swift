import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

/// `crm dedupe`: candidate duplicate clients (or persons) with score and reasons.
struct DedupeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dedupe",
    abstract: tr(
      "List likely duplicate clients (or contact persons), best first.",
      "Список вероятных дублей клиентов (или контактных лиц), сначала самые вероятные."),
    subcommands: [Scan.self, NotDuplicate.self],
    defaultSubcommand: Scan.self)

  struct Scan: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "scan",
      abstract: tr(
        "Pairs with ids, names, score (0–100) and the reasons (the default).",
        "Пары с номерами, названиями, оценкой (0–100) и причинами (по умолчанию)."))
    @OptionGroup var global: Global
    @Option(
      name: .customLong("min-score"),
      help: tr(
        "Leave out pairs scored below this (0–100).",
        "Не показывать пары с оценкой ниже этой (0–100)."))
    var minScore = DuplicateFinder.threshold
    @Flag(
      help: tr(
        "Contact persons instead of clients.",
        "Контактные лица вместо клиентов.")) var persons = false
    @OptionGroup var output: JSONOutput

    func check() throws {
      guard (0...100).contains(minScore) else {
        throw Failure(
          message: global.language.pick(
            "--min-score must be from 0 to 100, not \(minScore)",
            "--min-score должен быть от 0 до 100, а не \(minScore)"), code: 1)
      }
    }

    func run(_ session: Session) throws {
      let finder = session.context.duplicates
      let pairs = try finder.scan(persons ? .person : .client, minScore: minScore)
      output.show(
        pairs.map { Self.object($0, global.language) },
        else: Self.text(pairs, global.language, persons: persons))
    }

    static func object(_ p: DuplicatePair, _ l: Language) -> [String: Any] {
      [
        "entity": p.entity.rawValue, "first": p.first, "second": p.second,
        "first_name": p.firstName, "second_name": p.secondName, "score": p.score,
        "reasons": p.reasons.map { $0.text(l) }, "reason_codes": p.reasons.map(\.code),
        "conflicting_inn": p.conflictingINN,
      ]
    }

    /// Two lines a pair, 80 columns: score and both names, then the reasons (wrapped).
    static func text(_ pairs: [DuplicatePair], _ l: Language, persons: Bool) -> String {
      if pairs.isEmpty {
        return persons
          ? l.pick("No likely duplicate persons.", "Похожих контактных лиц нет.")
          : l.pick("No likely duplicate clients.", "Похожих клиентов нет.")
      }
      var out: [String] = []
      for p in pairs {
        let a = TextWidth.fit("#\(p.first) \(p.firstName)", to: 35)
        let b = TextWidth.fit("#\(p.second) \(p.secondName)", to: 35)
        var head = "\(TextWidth.fit(String(p.score), to: 3, alignRight: true))  \(a) ↔ \(b)"
        while head.last == " " { head.removeLast() }
        out.append(head)
        var reasons = p.reasonsText(l)
        if p.conflictingINN {
          reasons += l.pick(" — not merged without --force", " — без --force не объединить")
        }
        out += wrap(reasons, width: 75).map { "     " + $0 }
      }
      out.append(l.pick("\(pairs.count) pairs.", "Пар: \(pairs.count)."))
      out.append(
        l.pick(
          "Merge: crm merge KEEP OTHER; not a duplicate: crm dedupe not-duplicate A B",
          "Объединить: crm merge ОСТАВИТЬ ДРУГОЙ; не дубль: crm dedupe not-duplicate A B"))
      return out.joined(separator: "\n")
    }
  }

  struct NotDuplicate: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "not-duplicate",
      abstract: tr(
        "Mark two clients (or persons) as not the same, so dedupe leaves them out.",
        "Отметить двух клиентов (или лиц) как разных, чтобы dedupe их не показывал."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Id of one.",
        "Номер одного.")) var first: Int64
    @Argument(
      help: tr(
        "Id of the other.",
        "Номер другого.")) var second: Int64
    @Flag(
      help: tr(
        "Contact persons instead of clients.",
        "Контактные лица вместо клиентов.")) var persons = false
    @Flag(
      help: tr(
        "Remove the mark instead.",
        "Снять отметку.")) var undo = false

    func run(_ session: Session) throws {
      _ = try session.writer()
      let l = global.language
      let entity: DuplicateEntity = persons ? .person : .client
      let clients = session.context.clients
      for id in [first, second] {
        let found =
          persons ? try clients.person(id) != nil : try clients.client(id) != nil
        if !found {
          throw CRMError.notFound(
            what: persons
              ? l.pick("contact person", "контактное лицо") : l.pick("client", "клиент"),
            id: id)
        }
      }
      if first == second {
        throw CRMError.invalid(
          field: "\(first)",
          problem: l.pick("give two different ids", "укажите два разных номера"))
      }
      let finder = session.context.duplicates
      if undo {
        try finder.unmarkNotDuplicate(entity, first, second)
      } else {
        try finder.markNotDuplicate(entity, first, second)
      }
      print(
        undo
          ? l.pick(
            "#\(first) and #\(second) may be duplicates again.",
            "#\(first) и #\(second) снова могут считаться дублями.")
          : l.pick(
            "#\(first) and #\(second) are marked as not duplicates.",
            "#\(first) и #\(second) отмечены как не дубли."))
    }
  }
}

/// `crm merge`: merge two duplicate clients (or persons), undo a merge, list merges.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: tr(
      "Merge a duplicate into the client (or person) to keep; undo a merge.",
      "Влить дубль в клиента (или лицо), которого оставить; отменить слияние."),
    subcommands: [Pair.self, Undo.self, Log.self],
    defaultSubcommand: Pair.self)

  struct Pair: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "pair",
      abstract:
        tr(
          "Merge OTHER into KEEP (the default): KEEP's fields win where set, phones, e-mails, "
            + "tags, accounts and notes are united; everything of OTHER moves to KEEP; OTHER goes to "
            + "the trash.",
          "Влить OTHER в KEEP (по умолчанию): заполненные поля KEEP главнее, телефоны, e-mail, "
            + "теги, счета и заметки объединяются; всё, что было у OTHER, переходит к KEEP; OTHER уходит "
            + "в корзину."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Id of the one to keep.",
        "Номер того, кого оставить.")) var keep: Int64
    @Argument(
      help: tr(
        "Id of the duplicate to merge into it.",
        "Номер дубля, которого в него влить.")) var other: Int64
    @Option(
      name: .customLong("take"),
      help: tr(
        "Take this field from OTHER (repeatable): name, legal_form, inn, kpp, ogrn, phones, "
          + "emails, website, city, legal_address, actual_address, postal_address, bank_accounts, "
          + "lead_source, segment, owner, tags, notes, kind (persons: name, position, phones, "
          + "emails, birthday, notes).",
        "Взять это поле у OTHER (можно повторять): name, legal_form, inn, kpp, ogrn, phones, "
          + "emails, website, city, legal_address, actual_address, postal_address, bank_accounts, "
          + "lead_source, segment, owner, tags, notes, kind (у лиц: name, position, phones, "
          + "emails, birthday, notes)."))
    var take: [String] = []
    @Option(
      name: .customLong("own"),
      help: tr(
        "Keep only KEEP's value of this list or notes, not both united (repeatable).",
        "Оставить только значение KEEP в этом списке или заметках, не объединяя (можно повторять).")
    )
    var own: [String] = []
    @Flag(
      help: tr(
        "Merge even though both have valid, different ИНН.",
        "Слить, даже если у обоих верные, но разные ИНН.")) var force = false
    @Flag(
      name: .customLong("dry-run"),
      help: tr(
        "Show what would happen; change nothing.",
        "Показать, что произойдёт; ничего не менять."))
    var dryRun = false
    @Flag(
      help: tr(
        "Contact persons instead of clients.",
        "Контактные лица вместо клиентов.")) var persons = false
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      _ = try session.writer()
      let l = global.language
      var choices: [String: MergeChoice] = [:]
      for f in own { choices[f] = .keep }
      for f in take { choices[f] = .other }
      let service = session.context.merges
      let fields: [MergeField]
      let result: MergeResult
      if persons {
        fields = try service.previewPersons(keep: keep, other: other, choices: choices).fields
        result = try service.mergePersons(
          keep: keep, other: other, choices: choices, dryRun: dryRun)
      } else {
        fields = try service.preview(keep: keep, other: other, choices: choices).fields
        result = try service.merge(
          keep: keep, other: other, choices: choices, force: force, dryRun: dryRun)
      }
      output.show(Self.object(result, fields), else: Self.text(result, fields, l))
    }

    static func object(_ r: MergeResult, _ fields: [MergeField]) -> [String: Any] {
      [
        "merge_id": r.mergeId.map { $0 as Any } ?? NSNull(), "entity": r.entity,
        "dry_run": r.dryRun,
        "survivor": ["id": r.survivorId, "name": r.survivorName] as [String: Any],
        "merged": ["id": r.mergedId, "name": r.mergedName] as [String: Any],
        "moved": Dictionary(uniqueKeysWithValues: r.moved.map { ($0.table, $0.count) }),
        "left": Dictionary(uniqueKeysWithValues: r.left.map { ($0.table, $0.count) }),
        "fields": fields.map {
          [
            "field": $0.key, "keep": $0.keep, "other": $0.other, "result": $0.result,
            "choice": $0.choice.rawValue,
          ] as [String: Any]
        },
      ]
    }

    static func text(_ r: MergeResult, _ fields: [MergeField], _ l: Language) -> String {
      let a = "#\(r.survivorId) \(r.survivorName)"
      let b = "#\(r.mergedId) \(r.mergedName)"
      var out: [String] = []
      if r.dryRun {
        out.append(l.pick("Would merge \(b) into \(a):", "Будет объединён \(b) с \(a):"))
      } else {
        out.append(
          l.pick(
            "Merged \(b) into \(a) (merge \(r.mergeId ?? 0); undo: crm merge undo \(r.mergeId ?? 0)).",
            "\(b) объединён с \(a) (объединение \(r.mergeId ?? 0); отменить: crm merge undo \(r.mergeId ?? 0))."
          ))
      }
      let moved = r.moved.filter { !["change_set", "audit"].contains($0.table) }
      if moved.isEmpty {
        out.append(l.pick("Nothing else to move.", "Больше переносить нечего."))
      } else {
        out += wrap(
          (r.dryRun
            ? l.pick("Would move: ", "Будет перенесено: ") : l.pick("Moved: ", "Перенесено: "))
            + moved.map { "\($0.label) \($0.count)" }.joined(separator: ", "), width: 80)
      }
      if !r.left.isEmpty {
        out += wrap(
          (r.entity == "person"
            ? l.pick(
              "Left without a person (they belong to another client): ",
              "Остались без контактного лица (они у другого клиента): ")
            : l.pick(
              "Left with the merged one (the survivor has their like): ",
              "Остались у объединённого (такие уже есть у основного): "))
            + r.left.map { "\($0.label) \($0.count)" }.joined(separator: ", "), width: 80)
      }
      let changed = fields.filter { $0.result != $0.keep }
      if !changed.isEmpty {
        out.append(
          r.dryRun
            ? l.pick("Fields that would change:", "Изменятся поля:")
            : l.pick("Fields changed:", "Изменены поля:"))
        for f in changed {
          out.append(
            "  " + TextWidth.fit(f.label, to: 16) + " "
              + TextWidth.fit(f.keep.isEmpty ? "—" : f.keep, to: 26) + " → "
              + TextWidth.fit(f.result.isEmpty ? "—" : f.result, to: 31))
        }
      }
      return out.map { line in
        var s = line
        while s.last == " " { s.removeLast() }
        return s
      }.joined(separator: "\n")
    }
  }

  struct Undo: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "undo",
      abstract: tr(
        "Undo a merge (by its number, or your last with --last).",
        "Отменить слияние (по номеру или ваше последнее с --last)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Number of the merge (crm merge log).",
        "Номер слияния (crm merge log).")) var id: Int64?
    @Flag(
      help: tr(
        "Your latest merge that is not undone.",
        "Ваше последнее неотменённое слияние.")) var last = false
    @OptionGroup var output: JSONOutput

    func check() throws {
      let l = global.language
      if (id == nil) == !last {
        throw Failure(
          message: l.pick(
            "give the number of a merge or --last", "укажите номер объединения или --last"),
          code: 1)
      }
    }

    func run(_ session: Session) throws {
      let l = global.language
      _ = try session.writer()
      let service = session.context.merges
      let result: UnmergeResult?
      if let id { result = try service.undo(id) } else { result = try service.undoLast() }
      guard let r = result else {
        throw Failure(
          message: l.pick("you have no merge to undo", "у вас нет объединений для отмены"),
          code: 1)
      }
      if output.json {
        printJSON([
          "merge_id": r.mergeId, "entity": r.entity,
          "survivor": ["id": r.survivorId, "name": r.survivorName] as [String: Any],
          "merged": ["id": r.mergedId, "name": r.mergedName] as [String: Any],
          "restored": Dictionary(uniqueKeysWithValues: r.restored.map { ($0.table, $0.count) }),
          "skipped": r.skipped,
        ])
        return
      }
      print(
        l.pick(
          "Merge \(r.mergeId) undone: #\(r.mergedId) \(r.mergedName) is back, separate from "
            + "#\(r.survivorId) \(r.survivorName).",
          "Объединение \(r.mergeId) отменено: #\(r.mergedId) \(r.mergedName) снова отдельно от "
            + "#\(r.survivorId) \(r.survivorName)."))
      let back = r.restored.filter { !["change_set", "audit"].contains($0.table) }
      if !back.isEmpty {
        print(
          wrap(
            l.pick("Moved back: ", "Возвращено: ")
              + back.map { "\($0.label) \($0.count)" }.joined(separator: ", "), width: 80
          ).joined(separator: "\n"))
      }
      if r.skipped > 0 {
        print(
          l.pick(
            "\(r.skipped) rows were gone or had moved elsewhere since and stayed where they are.",
            "Строк, удалённых или перенесённых с тех пор: \(r.skipped); они остались на месте."))
      }
    }
  }

  struct Log: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: tr(
        "Merges, newest first.",
        "Слияния, сначала новые."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "How many, newest first (default: 50 as text, every merge with --json).",
        "Сколько, сначала новые (по умолчанию 50 текстом, все объединения с --json)."))
    var limit: Int?
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let l = global.language
      let service = session.context.merges
      let rows = listShown(
        try service.log(limit: listLimit(limit, text: 50, machine: output.json)),
        limit: limit, text: 50, machine: output.json, language: l, paged: false)
      let iso = ISO8601DateFormatter()
      if output.json {
        printJSON(
          rows.map {
            [
              "id": $0.id, "entity": $0.entity, "survivor_id": $0.survivorId,
              "merged_id": $0.mergedId, "at": iso.string(from: $0.at), "user": $0.user,
              "undone_at": $0.undoneAt.map { iso.string(from: $0) as Any } ?? NSNull(),
            ] as [String: Any]
          })
        return
      }
      if rows.isEmpty {
        print(l.pick("No merges.", "Объединений нет."))
        return
      }
      let f = global.formats
      for r in rows {
        let what = r.entity == "client" ? "" : l.pick(" (persons)", " (лица)")
        let undone = r.undoneAt.map { l.pick("  undone ", "  отменено ") + f.date($0) } ?? ""
        print(
          "\(TextWidth.fit(String(r.id), to: 5, alignRight: true))  \(f.date(r.at))  "
            + "#\(r.mergedId) → #\(r.survivorId)\(what)  \(r.user)\(undone)")
      }
    }
  }
}
