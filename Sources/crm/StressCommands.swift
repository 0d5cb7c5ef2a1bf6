import ArgumentParser

/// `crm stress …`: long-form reliability harnesses (hidden from the main help).
struct Stress: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stress", abstract: "Reliability harnesses: concurrent editors.",
    shouldDisplay: false, subcommands: [StressConcurrency.self, StressConcurrencyWorker.self])
}
