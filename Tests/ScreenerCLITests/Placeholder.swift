// SwiftPM needs at least one source file in every declared target; end-to-end CLI tests go here.
import Testing
