from imworkbook.cli import run

run()
