// Programs on demand: members' requests, votes and editors' answers.
export {};
