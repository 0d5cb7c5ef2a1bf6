import Foundation
import GRDB

/// What applying a configuration changed (or would change, on a dry run).
public struct PipelineChanges: Equatable, Sendable {
  public var added: [String] = []
  public var changed: [String] = []
  public var removed: [String] = []
  /// Removed from the configuration but kept hidden because stage history names them.
  public var archived: [String] = []
  public var listsChanged: [String] = []

  public init() {}

  public var isEmpty: Bool {
    added.isEmpty && changed.isEmpty && removed.isEmpty && archived.isEmpty
      && listsChanged.isEmpty
  }
}

/// Pipelines, stages and the choice lists (lead sources, lost reasons) as stored; applying a new
/// configuration checks it whole and changes nothing when any part is wrong.
public struct PipelineService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  // MARK: Reading

  static func stage(_ r: Row) -> Stage {
    let json: String = r["actions"]
    let texts = (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    return Stage(
      id: r["id"], pipelineId: r["pipeline_id"], key: r["key"], name: r["name"],
      nameEn: r["name_en"], position: r["position"],
      kind: StageKind(rawValue: r["kind"]) ?? .open, probability: r["probability"],
      stuckDays: r["stuck_days"],
      actions: texts.compactMap { try? EntryAction.parse($0, language: .en) },
      archived: r["archived"])
  }

  static func loadPipelines(_ db: Database, includeArchived: Bool = false) throws -> [Pipeline] {
    let stages = try Row.fetchAll(
      db, sql: "SELECT * FROM stage ORDER BY pipeline_id, position, id"
    ).map(stage)
    return try Row.fetchAll(db, sql: "SELECT * FROM pipeline ORDER BY position, id").map { r in
      let id: Int64 = r["id"]
      return Pipeline(
        id: id, key: r["key"], name: r["name"], nameEn: r["name_en"],
        stages: stages.filter { $0.pipelineId == id && (includeArchived || !$0.archived) })
    }
  }

  /// Every pipeline with its live stages, the default (first) one first.
  public func pipelines() throws(CRMError) -> [Pipeline] {
    try db.read { db in try Self.loadPipelines(db) }
  }

  /// The pipeline with this key, or the default one when `key` is nil.
  public func pipeline(_ key: String? = nil) throws(CRMError) -> Pipeline {
    let all = try pipelines()
    if let key {
      if let p = all.first(where: { $0.key.lowercased() == key.lowercased() }) { return p }
      throw .invalid(
        field: language.pick("Pipeline", "Воронка"),
        problem: language.pick(
          "no pipeline «\(key)»; there are: \(all.map(\.key).joined(separator: ", "))",
          "нет воронки «\(key)»; есть: \(all.map(\.key).joined(separator: ", "))"))
    }
    guard let first = all.first else { throw .other("no pipelines configured") }
    return first
  }

  /// Any stage by id, archived ones too (history may name them).
  public func stagesById() throws(CRMError) -> [Int64: Stage] {
    try db.read { db in
      Dictionary(
        uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT * FROM stage").map(Self.stage).map {
          ($0.id, $0)
        })
    }
  }

  static func loadChoices(_ db: Database, _ list: String) throws -> [Choice] {
    try Row.fetchAll(
      db, sql: "SELECT key, name, name_en FROM choice WHERE list = ? ORDER BY position, id",
      arguments: [list]
    ).map { Choice(key: $0["key"], name: $0["name"], nameEn: $0["name_en"]) }
  }

  public func leadSources() throws(CRMError) -> [Choice] {
    try db.read { db in try Self.loadChoices(db, "lead_source") }
  }

  public func lostReasons() throws(CRMError) -> [Choice] {
    try db.read { db in try Self.loadChoices(db, "lost_reason") }
  }

  /// The outcomes offered when a contact is logged (the sales process's list).
  public func outcomes() throws(CRMError) -> [Choice] {
    try db.read { db in try Self.loadChoices(db, "outcome") }
  }

  /// The configuration as stored, ready to be written to a file and applied again.
  public func current() throws(CRMError) -> FunnelConfig {
    try db.read { db in try Self.loadConfig(db) }
  }

  static func loadConfig(_ db: Database) throws -> FunnelConfig {
    FunnelConfig(
      pipelines: try loadPipelines(db).map { p in
        PipelineDefinition(
          key: p.key, name: p.name, nameEn: p.nameEn, stages: p.stages.map(\.definition))
      },
      leadSources: try loadChoices(db, "lead_source"),
      lostReasons: try loadChoices(db, "lost_reason"), outcomes: try loadChoices(db, "outcome"))
  }

  // MARK: Writing

  static func actionsJSON(_ actions: [EntryAction]) -> String {
    String(decoding: try! JSONEncoder().encode(actions.map(\.text)), as: UTF8.self)
  }

  /// Fills an empty database with a configuration (the migration's seed).
  static func seed(_ db: Database, _ config: FunnelConfig) throws {
    var changes = PipelineChanges()
    try write(db, config, language: .en, changes: &changes)
  }

  /// Checks `config` and makes the stored configuration equal to it, in one transaction.
  /// Stages and pipelines are matched by key, so deals keep their stage. Refused, with nothing
  /// changed: removing a stage or pipeline that holds deals (the message gives the count),
  /// changing the kind of a stage that holds deals. A removed stage that history still names is
  /// archived (hidden, kept for reports). `dryRun` reports the changes and rolls back.
  @discardableResult
  public func apply(_ config: FunnelConfig, dryRun: Bool = false) throws(CRMError)
    -> PipelineChanges
  {
    try config.validate(language: language)
    // Names are drawn on one line: line breaks, tabs and other control characters become spaces.
    var config = config
    for i in config.pipelines.indices {
      config.pipelines[i].name = TextFold.sanitizeLine(config.pipelines[i].name)
      config.pipelines[i].nameEn = TextFold.sanitizeLine(config.pipelines[i].nameEn)
      for j in config.pipelines[i].stages.indices {
        config.pipelines[i].stages[j].name = TextFold.sanitizeLine(
          config.pipelines[i].stages[j].name)
        config.pipelines[i].stages[j].nameEn = TextFold.sanitizeLine(
          config.pipelines[i].stages[j].nameEn)
      }
    }
    let l = language
    return try db.write { db in
      var changes = PipelineChanges()
      try db.inSavepoint {
        try Self.write(db, config, language: l, changes: &changes)
        return dryRun ? .rollback : .commit
      }
      return changes
    }
  }

  static func write(
    _ db: Database, _ config: FunnelConfig, language l: Language, changes: inout PipelineChanges
  ) throws {
    let existing = try loadPipelines(db, includeArchived: true)
    func refuse(_ en: String, _ ru: String) -> CRMError {
      .invalid(field: l.pick("Configuration", "Настройка"), problem: l.pick(en, ru))
    }
    func dealCount(stage: Int64) throws -> Int {
      try Int.fetchOne(db, sql: "SELECT count(*) FROM deal WHERE stage_id = ?", arguments: [stage])
        ?? 0
    }
    // Pipelines that disappear.
    for old in existing where !config.pipelines.contains(where: { $0.key == old.key }) {
      let n =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM deal WHERE pipeline_id = ?", arguments: [old.id]) ?? 0
      if n > 0 {
        throw refuse(
          "pipeline «\(old.key)» holds \(n) deals; move or delete them before removing it",
          "в воронке «\(old.key)» \(n) \(RussianPlural.pick(n, "сделка", "сделки", "сделок")); перенесите или удалите их, прежде чем убирать воронку"
        )
      }
      try db.execute(sql: "DELETE FROM stage WHERE pipeline_id = ?", arguments: [old.id])
      try db.execute(sql: "DELETE FROM pipeline WHERE id = ?", arguments: [old.id])
      changes.removed.append(old.key)
    }
    for (pi, p) in config.pipelines.enumerated() {
      let pid: Int64
      if let old = existing.first(where: { $0.key == p.key }) {
        pid = old.id
        if old.name != p.name || old.nameEn != p.nameEn || existing.firstIndex(of: old) != pi {
          changes.changed.append(p.key)
        }
        try db.execute(
          sql: "UPDATE pipeline SET name = ?, name_en = ?, position = ? WHERE id = ?",
          arguments: [p.name, p.nameEn, pi, pid])
      } else {
        try db.execute(
          sql: "INSERT INTO pipeline (key, name, name_en, position) VALUES (?, ?, ?, ?)",
          arguments: [p.key, p.name, p.nameEn, pi])
        pid = db.lastInsertedRowID
        if !existing.isEmpty { changes.added.append(p.key) }
      }
      let oldStages = existing.first(where: { $0.key == p.key })?.stages ?? []
      for old in oldStages where !p.stages.contains(where: { $0.key == old.key }) {
        let n = try dealCount(stage: old.id)
        if n > 0 {
          throw refuse(
            "stage «\(old.key)» of «\(p.key)» holds \(n) deals; move them to another stage first",
            "на этапе «\(old.key)» воронки «\(p.key)» \(n) \(RussianPlural.pick(n, "сделка", "сделки", "сделок")); сначала перенесите их на другой этап"
          )
        }
        let named =
          try Int.fetchOne(
            db,
            sql: """
              SELECT EXISTS (SELECT 1 FROM deal_stage WHERE to_stage_id = ?1 OR from_stage_id = ?1)
                OR EXISTS (SELECT 1 FROM deal WHERE reached_stage_id = ?1)
              """, arguments: [old.id]) ?? 0
        if named != 0 {
          if !old.archived {
            try db.execute(
              sql: "UPDATE stage SET archived = 1, position = position + 1000 WHERE id = ?",
              arguments: [old.id])
            changes.archived.append("\(p.key).\(old.key)")
          }
        } else {
          try db.execute(sql: "DELETE FROM stage WHERE id = ?", arguments: [old.id])
          changes.removed.append("\(p.key).\(old.key)")
        }
      }
      for (si, s) in p.stages.enumerated() {
        let json = actionsJSON(s.actions)
        if let old = oldStages.first(where: { $0.key == s.key }) {
          if old.kind != s.kind {
            let n = try dealCount(stage: old.id)
            if n > 0 {
              throw refuse(
                "stage «\(s.key)» holds \(n) deals; its kind cannot change from \(old.kind.rawValue) to \(s.kind.rawValue)",
                "на этапе «\(s.key)» \(n) \(RussianPlural.pick(n, "сделка", "сделки", "сделок")); его вид нельзя сменить с \(old.kind.rawValue) на \(s.kind.rawValue)"
              )
            }
          }
          if old.definition != s || old.position != si || old.archived {
            changes.changed.append("\(p.key).\(s.key)")
          }
          try db.execute(
            sql: """
              UPDATE stage SET name = ?, name_en = ?, position = ?, kind = ?, probability = ?,
                stuck_days = ?, actions = ?, archived = 0
              WHERE id = ?
              """,
            arguments: [
              s.name, s.nameEn, si, s.kind.rawValue, s.probability, s.stuckDays, json, old.id,
            ])
        } else {
          try db.execute(
            sql: """
              INSERT INTO stage (pipeline_id, key, name, name_en, position, kind, probability,
                stuck_days, actions)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [
              pid, s.key, s.name, s.nameEn, si, s.kind.rawValue, s.probability, s.stuckDays, json,
            ])
          if !existing.isEmpty { changes.added.append("\(p.key).\(s.key)") }
        }
      }
    }
    for (list, items) in [
      ("lead_source", config.leadSources), ("lost_reason", config.lostReasons),
      ("outcome", config.outcomes),
    ] {
      if try loadChoices(db, list) != items {
        if !existing.isEmpty { changes.listsChanged.append(list) }
        try db.execute(sql: "DELETE FROM choice WHERE list = ?", arguments: [list])
        for (i, c) in items.enumerated() {
          try db.execute(
            sql: "INSERT INTO choice (list, key, name, name_en, position) VALUES (?, ?, ?, ?, ?)",
            arguments: [list, c.key, c.name, c.nameEn, i])
        }
      }
    }
  }
}
