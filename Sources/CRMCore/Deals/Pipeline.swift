import Foundation

/// A stage as stored: the definition plus its id, pipeline and place.
public struct Stage: Equatable, Hashable, Sendable, BilingualName {
  public var id: Int64
  public var pipelineId: Int64
  public var key: String
  public var name: String
  public var nameEn: String
  public var position: Int
  public var kind: StageKind
  public var probability: Int
  public var stuckDays: Int?
  public var actions: [EntryAction]
  public var archived: Bool

  public init(
    id: Int64, pipelineId: Int64, key: String, name: String, nameEn: String = "", position: Int,
    kind: StageKind, probability: Int, stuckDays: Int? = nil, actions: [EntryAction] = [],
    archived: Bool = false
  ) {
    self.id = id
    self.pipelineId = pipelineId
    self.key = key
    self.name = name
    self.nameEn = nameEn
    self.position = position
    self.kind = kind
    self.probability = probability
    self.stuckDays = stuckDays
    self.actions = actions
    self.archived = archived
  }

  public var definition: StageDefinition {
    StageDefinition(
      key: key, name: name, nameEn: nameEn, kind: kind, probability: probability,
      stuckDays: stuckDays, actions: actions)
  }
}

/// A pipeline with its live stages in order.
public struct Pipeline: Equatable, Sendable, BilingualName {
  public var id: Int64
  public var key: String
  public var name: String
  public var nameEn: String
  public var stages: [Stage]

  public init(id: Int64, key: String, name: String, nameEn: String = "", stages: [Stage]) {
    self.id = id
    self.key = key
    self.name = name
    self.nameEn = nameEn
    self.stages = stages
  }

  /// The stage with this key (or localized name), any case.
  public func stage(_ text: String) -> Stage? {
    let k = TextFold.key(text.trimmingCharacters(in: .whitespaces))
    return stages.first { TextFold.key($0.key) == k }
      ?? stages.first { TextFold.key($0.name) == k || TextFold.key($0.nameEn) == k }
  }

  public var openStages: [Stage] { stages.filter { $0.kind == .open } }
  public var wonStage: Stage? { stages.first { $0.kind == .won } }
  public var lostStage: Stage? { stages.first { $0.kind == .lost } }
}

/// Something configured with a Russian `name` and an optional English one (stages, pipelines,
/// choice-list entries).
public protocol BilingualName {
  var name: String { get }
  var nameEn: String { get }
}

extension BilingualName {
  /// The English name in English when there is one; else the Russian.
  public func name(_ l: Language) -> String { l == .en && !nameEn.isEmpty ? nameEn : name }
}
