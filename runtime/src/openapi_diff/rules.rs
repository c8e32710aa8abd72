//! The rules: every kind of change the diff reports, with its stable id and whether it
//! breaks existing clients.
//!
//! A rule's classification can depend on the direction of the data. A client *writes*
//! requests (parameters, request bodies) and *reads* responses (bodies, headers): tightening
//! what a request accepts breaks the clients that sent the old values, while widening what a
//! response may contain breaks the clients that only expect the old values.

/// Which way the data flows where a change was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Parameters and request bodies: written by the client, read by the server.
    Request,
    /// Response bodies and headers: written by the server, read by the client.
    Response,
}

/// When a rule's changes break clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaking {
    /// Always breaking.
    Always,
    /// Never breaking (compatible).
    Never,
    /// Breaking in a request, compatible in a response (a restriction: what clients send
    /// may be refused).
    InRequest,
    /// Breaking in a response, compatible in a request (a widening: clients may receive what
    /// they do not expect).
    InResponse,
    /// Decided by the change itself (see the rule's `why`): a type change that only widens
    /// is compatible in a request and breaking in a response, one that only narrows the
    /// reverse, one that does both breaks either way.
    Depends,
}

/// One rule of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, as printed and as given to `--allow`.
    pub id: &'static str,
    /// When its changes break clients.
    pub breaking: Breaking,
    /// Why, in one sentence.
    pub why: &'static str,
}

impl Rule {
    /// Whether a change of this rule found in `direction` breaks clients (for
    /// [`Breaking::Depends`], the caller decides; this answers `true`).
    pub fn breaks(&self, direction: Direction) -> bool {
        match self.breaking {
            Breaking::Always | Breaking::Depends => true,
            Breaking::Never => false,
            Breaking::InRequest => direction == Direction::Request,
            Breaking::InResponse => direction == Direction::Response,
        }
    }
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

macro_rules! rules {
    ($($(#[$doc:meta])* $name:ident = $id:literal, $breaking:ident, $why:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: Rule = Rule { id: $id, breaking: Breaking::$breaking, why: $why };
        )*
        /// Every rule, in the order of the guide's table.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    /// `operation-removed`.
    OPERATION_REMOVED = "operation-removed", Always,
        "clients calling it get 404 or 405";
    /// `operation-added`.
    OPERATION_ADDED = "operation-added", Never,
        "no client calls it yet";
    /// `operation-deprecated`.
    OPERATION_DEPRECATED = "operation-deprecated", Never,
        "it still works; a warning of a later removal";
    /// `operation-id-changed`.
    OPERATION_ID_CHANGED = "operation-id-changed", Never,
        "the wire is unchanged, but regenerated clients rename the method";
    /// `path-parameter-renamed`.
    PATH_PARAMETER_RENAMED = "path-parameter-renamed", Never,
        "the URL clients build is unchanged (`/items/{id}` and `/items/{item_id}` match the same requests)";
    /// `documentation-changed`.
    DOCUMENTATION_CHANGED = "documentation-changed", Never,
        "a summary or description only";
    /// `parameter-removed`.
    PARAMETER_REMOVED = "parameter-removed", Always,
        "clients still send it and the server ignores it (or refuses the request)";
    /// `required-parameter-added`.
    REQUIRED_PARAMETER_ADDED = "required-parameter-added", Always,
        "existing clients do not send it and get 422";
    /// `optional-parameter-added`.
    OPTIONAL_PARAMETER_ADDED = "optional-parameter-added", Never,
        "existing clients do not send it and get the default";
    /// `parameter-became-required`.
    PARAMETER_BECAME_REQUIRED = "parameter-became-required", Always,
        "clients that leave it out get 422";
    /// `parameter-became-optional`.
    PARAMETER_BECAME_OPTIONAL = "parameter-became-optional", Never,
        "clients that send it still may";
    /// `parameter-type-changed`.
    PARAMETER_TYPE_CHANGED = "parameter-type-changed", Depends,
        "breaking when the new type refuses values the old accepted (integer to string, number to integer); compatible when it only widens (integer to number)";
    /// `parameter-serialization-changed`.
    PARAMETER_SERIALIZATION_CHANGED = "parameter-serialization-changed", Always,
        "`style` or `explode` changed: clients encode the value the old way";
    /// `parameter-deprecated`.
    PARAMETER_DEPRECATED = "parameter-deprecated", Never,
        "it still works";
    /// `request-body-removed`.
    REQUEST_BODY_REMOVED = "request-body-removed", Always,
        "clients still send a body the operation no longer reads";
    /// `request-body-added`.
    REQUEST_BODY_ADDED = "request-body-added", Never,
        "an optional body: existing clients send none";
    /// `request-body-became-required`.
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", Always,
        "clients sending no body get 422 (also when a required body is added)";
    /// `request-body-became-optional`.
    REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional", Never,
        "clients sending one still may";
    /// `request-media-type-removed`.
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", Always,
        "clients sending that content type get 415 or 422";
    /// `request-media-type-added`.
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", Never,
        "one more way to send the body";
    /// `response-status-removed`.
    RESPONSE_STATUS_REMOVED = "response-status-removed", Always,
        "a success (1xx-3xx) status clients handle is no longer answered: they get another one";
    /// `response-error-status-removed`.
    RESPONSE_ERROR_STATUS_REMOVED = "response-error-status-removed", Never,
        "an error (4xx, 5xx, default) is no longer answered: clients' handling of it is unused";
    /// `response-status-added`.
    RESPONSE_STATUS_ADDED = "response-status-added", Never,
        "a new documented answer; clients handle unknown statuses generically";
    /// `response-media-type-removed`.
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Always,
        "clients asking for that content type no longer get it";
    /// `response-media-type-added`.
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", Never,
        "clients keep asking for the ones they know";
    /// `response-header-removed`.
    RESPONSE_HEADER_REMOVED = "response-header-removed", Always,
        "clients reading it no longer find it";
    /// `response-header-added`.
    RESPONSE_HEADER_ADDED = "response-header-added", Never,
        "clients ignore headers they do not know";
    /// `request-property-removed`.
    REQUEST_PROPERTY_REMOVED = "request-property-removed", Always,
        "clients still send it and the server ignores it (or refuses it when extra properties are forbidden)";
    /// `request-property-added-required`.
    REQUEST_PROPERTY_ADDED_REQUIRED = "request-property-added-required", Always,
        "existing clients do not send it and get 422";
    /// `request-property-added`.
    REQUEST_PROPERTY_ADDED = "request-property-added", Never,
        "optional: existing clients get the default";
    /// `request-property-became-required`.
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Always,
        "clients that leave it out get 422";
    /// `request-property-became-optional`.
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", Never,
        "clients that send it still may";
    /// `response-property-removed`.
    RESPONSE_PROPERTY_REMOVED = "response-property-removed", Always,
        "clients reading it no longer find it (even an optional one: ferrapi always writes every field, so clients come to rely on it)";
    /// `response-property-added`.
    RESPONSE_PROPERTY_ADDED = "response-property-added", Never,
        "clients ignore properties they do not know";
    /// `response-property-became-optional`.
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Always,
        "clients reading it may no longer find it";
    /// `response-property-became-required`.
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", Never,
        "clients that handled its absence still work";
    /// `type-changed`.
    TYPE_CHANGED = "type-changed", Depends,
        "in a request, breaking when the new type refuses values the old accepted; in a response, breaking when it allows values the old did not (integer to number is compatible in a request, breaking in a response)";
    /// `nullable-added`.
    NULLABLE_ADDED = "nullable-added", InResponse,
        "a response value may now be null, which clients do not expect; a request may now send null";
    /// `nullable-removed`.
    NULLABLE_REMOVED = "nullable-removed", InRequest,
        "clients sending null are refused; a response that is never null is fine";
    /// `enum-value-added`.
    ENUM_VALUE_ADDED = "enum-value-added", InResponse,
        "in a response, clients with a closed set of values (a Rust enum, a TypeScript union) fail on the new one; in a request, one more accepted value";
    /// `enum-value-removed`.
    ENUM_VALUE_REMOVED = "enum-value-removed", InRequest,
        "in a request, clients sending it are refused; in a response, one value fewer to expect";
    /// `enum-constraint-added`.
    ENUM_CONSTRAINT_ADDED = "enum-constraint-added", InRequest,
        "a free value is now limited to a list";
    /// `enum-constraint-removed`.
    ENUM_CONSTRAINT_REMOVED = "enum-constraint-removed", InResponse,
        "a value limited to a list is now free";
    /// `union-member-added`.
    UNION_MEMBER_ADDED = "union-member-added", InResponse,
        "a new `oneOf`/`anyOf` member: a response may be a shape clients do not know; a request accepts one more shape";
    /// `union-member-removed`.
    UNION_MEMBER_REMOVED = "union-member-removed", InRequest,
        "a `oneOf`/`anyOf` member removed: clients sending that shape are refused; a response has one shape fewer";
    /// `max-length-decreased`.
    MAX_LENGTH_DECREASED = "max-length-decreased", InRequest,
        "a tighter constraint (also one set where there was none): refuses values clients sent";
    /// `max-length-increased`.
    MAX_LENGTH_INCREASED = "max-length-increased", InResponse,
        "a looser constraint (also one removed): responses may exceed what clients validate or size for";
    /// `min-length-increased`.
    MIN_LENGTH_INCREASED = "min-length-increased", InRequest,
        "a tighter constraint";
    /// `min-length-decreased`.
    MIN_LENGTH_DECREASED = "min-length-decreased", InResponse,
        "a looser constraint";
    /// `maximum-decreased`.
    MAXIMUM_DECREASED = "maximum-decreased", InRequest,
        "a tighter constraint (`maximum` or `exclusiveMaximum`)";
    /// `maximum-increased`.
    MAXIMUM_INCREASED = "maximum-increased", InResponse,
        "a looser constraint";
    /// `minimum-increased`.
    MINIMUM_INCREASED = "minimum-increased", InRequest,
        "a tighter constraint (`minimum` or `exclusiveMinimum`)";
    /// `minimum-decreased`.
    MINIMUM_DECREASED = "minimum-decreased", InResponse,
        "a looser constraint";
    /// `max-items-decreased`.
    MAX_ITEMS_DECREASED = "max-items-decreased", InRequest,
        "a tighter constraint";
    /// `max-items-increased`.
    MAX_ITEMS_INCREASED = "max-items-increased", InResponse,
        "a looser constraint";
    /// `min-items-increased`.
    MIN_ITEMS_INCREASED = "min-items-increased", InRequest,
        "a tighter constraint";
    /// `min-items-decreased`.
    MIN_ITEMS_DECREASED = "min-items-decreased", InResponse,
        "a looser constraint";
    /// `pattern-added`.
    PATTERN_ADDED = "pattern-added", InRequest,
        "a tighter constraint";
    /// `pattern-removed`.
    PATTERN_REMOVED = "pattern-removed", InResponse,
        "a looser constraint";
    /// `pattern-changed`.
    PATTERN_CHANGED = "pattern-changed", Always,
        "whether the new pattern accepts every value the old one did cannot be decided";
    /// `format-changed`.
    FORMAT_CHANGED = "format-changed", Depends,
        "a request breaks when the new format refuses values (a format set, changed or narrowed: int64 to int32); a response when the old format no longer holds (removed, changed or widened: int32 to int64)";
    /// `additional-properties-narrowed`.
    ADDITIONAL_PROPERTIES_NARROWED = "additional-properties-narrowed", InRequest,
        "`additionalProperties` forbidden or constrained: clients sending extra properties are refused";
    /// `additional-properties-widened`.
    ADDITIONAL_PROPERTIES_WIDENED = "additional-properties-widened", Never,
        "`additionalProperties` allowed or freed: clients ignore properties they do not know";
    /// `default-changed`.
    DEFAULT_CHANGED = "default-changed", Never,
        "a request value's default changed: clients leaving it out get different behaviour, but are not refused";
    /// `security-added`.
    SECURITY_ADDED = "security-added", Always,
        "clients without the new credentials get 401 or 403";
    /// `security-scope-added`.
    SECURITY_SCOPE_ADDED = "security-scope-added", Always,
        "tokens without the new scope get 403";
    /// `security-removed`.
    SECURITY_REMOVED = "security-removed", Never,
        "clients still send credentials, which are not needed";
    /// `security-scope-removed`.
    SECURITY_SCOPE_REMOVED = "security-scope-removed", Never,
        "tokens with the scope still work";
    /// `security-scheme-changed`.
    SECURITY_SCHEME_CHANGED = "security-scheme-changed", Always,
        "a scheme the operations use changed its type, location, name or URLs: clients send credentials the old way";
}
